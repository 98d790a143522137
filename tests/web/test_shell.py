"""The layout every page shares: landmarks, CSP, no inline script, navigation, switchers."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from justicework.core.roles import Capability
from justicework.web import nav

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\bsrc=)(?![^>]*\btype=[\"']application/json)[^>]*>", re.IGNORECASE
)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+=", re.IGNORECASE)


def test_healthz_answers_200_without_login(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_dashboard_sends_anonymous_visitors_to_login(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_layout_has_landmarks_skip_link_and_one_stylesheet(login, admin) -> None:
    html = login(admin).get("/").content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert 'class="skip-link" href="#main"' in html
    assert '<main id="main"' in html
    assert "<header" in html and "<footer" in html and "<nav" in html
    assert html.count('rel="stylesheet"') == 1
    assert "/static/justicework/app.css" in html
    assert '<script src="/static/django_htmx/htmx-2.min.js" defer></script>' in html


def test_pages_send_a_strict_csp_and_contain_no_inline_script_or_style(login, admin, acme) -> None:
    client = login(admin)
    for url in [
        "/",
        "/organisations/",
        f"/organisations/{acme.pk}/",
        f"/organisations/{acme.pk}/audit/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "style-src 'self'" in csp
        assert "unsafe-inline" not in csp
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), url
        assert not INLINE_STYLE.search(html), url
        assert not EVENT_HANDLER.search(html), url


def test_htmx_requests_carry_the_csrf_token(login, admin) -> None:
    client = login(admin)
    html = client.get("/").content.decode()
    match = re.search(r"<body hx-headers='\{\"X-CSRFToken\": \"([A-Za-z0-9]+)\"\}'>", html)
    assert match, "body must carry the CSRF header for htmx"


def test_language_switch_to_arabic_renders_right_to_left(login, viewer) -> None:
    client = login(viewer)
    response = client.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "لوحة المعلومات" in html  # "Dashboard"


@pytest.mark.parametrize(
    ("code", "dashboard"),
    [
        ("en", "Dashboard"),
        ("fr", "Tableau de bord"),
        ("es", "Panel"),
        ("ru", "Панель"),
        ("ar", "لوحة المعلومات"),
    ],
)
def test_each_ui_language_renders_translated_pages(login, viewer, code, dashboard) -> None:
    client = login(viewer)
    client.post("/i18n/setlang/", {"language": code, "next": "/"})
    html = client.get("/").content.decode()
    assert f'<html lang="{code}" dir="{"rtl" if code == "ar" else "ltr"}">' in html
    assert f"<h1>{dashboard}" in html


def test_language_switcher_is_a_post_form_with_csrf(login, viewer) -> None:
    html = login(viewer).get("/").content.decode()
    form = html.split('action="/i18n/setlang/"')[0].rsplit("<form", 1)[1]
    assert 'method="post"' in form
    after = html.split('action="/i18n/setlang/"')[1].split("</form>")[0]
    assert 'name="csrfmiddlewaretoken"' in after
    for code in ["en", "fr", "es", "ru", "ar"]:
        assert f'value="{code}"' in after


def test_nav_shows_audit_link_to_admins_only(login, admin, viewer, client: Client) -> None:
    html = login(admin).get("/").content.decode()
    assert 'href="/audit/"' in html
    assert 'href="/organisations/"' in html
    client.logout()
    html = login(viewer).get("/").content.decode()
    assert 'href="/audit/"' not in html
    assert 'href="/organisations/"' in html


def test_nav_hides_organisations_from_a_user_without_membership(login, loner) -> None:
    html = login(loner).get("/").content.decode()
    assert 'href="/organisations/"' not in html
    assert 'href="/audit/"' not in html


def test_nav_registry_respects_policy_actions_callables_and_unknown_urls(
    login, viewer, documenter, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(nav, "_ITEMS", dict(nav._ITEMS))  # restored after the test
    with pytest.raises(TypeError, match="policy action"):  # checks are decided by the policy
        nav.register("Create things", "web:organisation_create", Capability.RECORD_CREATE)
    nav.register("Create things", "web:organisation_create", "create_incident", order=60)
    nav.register("Never", "web:audit", lambda request: False, order=61)
    nav.register("Missing", "nowhere:at_all", None)
    html = login(viewer).get("/").content.decode()
    assert "Create things" not in html
    assert "Never" not in html
    assert "Missing" not in html
    client.logout()
    html = login(documenter).get("/").content.decode()
    assert '<a href="/organisations/new/">Create things</a>' in html
    assert "Never" not in html


def test_organisation_switcher_posts_to_core_switch_view(login, outsider, acme, beacon) -> None:
    from justicework.core import actions
    from justicework.core.roles import Role

    actions.add_member(None, acme, outsider, Role.VIEWER)
    outsider.forget_memberships()
    client = login(outsider)
    html = client.get("/").content.decode()
    action = reverse("core:switch_organisation")
    form = html.split(f'action="{action}"')[1].split("</form>")[0]
    assert 'name="organisation"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert f'value="{acme.pk}"' in form and f'value="{beacon.pk}"' in form
    response = client.post(action, {"organisation": acme.pk, "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert f'<option value="{acme.pk}" selected>' in html
    assert "Members of Acme Rights Watch" in html


def test_organisation_switcher_is_absent_with_one_membership(login, viewer) -> None:
    html = login(viewer).get("/").content.decode()
    assert 'name="organisation"' not in html
    assert "Acme Rights Watch" in html  # the active organisation is named instead
