"""Every survivors page has the quick exit and a neutral title; the exit script is served
from here (no CDN) and leaves by ``location.replace``."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import URLPattern, reverse
from django.utils import timezone

from justicework.core.models import User
from justicework.core.uses import Scope
from justicework.survivors import actions, urls
from justicework.survivors.models import SurvivorFile
from tests.survivors.conftest import give
from tests.survivors.support_fixtures import make_provider

pytestmark = pytest.mark.django_db

FORBIDDEN = re.compile(r"survivor|consent|sexual|violence|safety|interview", re.IGNORECASE)
SCRIPT = Path(__file__).parents[2] / "src/justicework/static/survivors/quick_exit.js"


def survivor_pages(file: SurvivorFile, objects: dict[str, int]) -> list[str]:
    """Every GET page of the survivors app (its URLconf walked, so a new page is included);
    ``objects`` gives the pk for routes of a collection other than persons (by its prefix)."""
    found = []
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        route = str(pattern.pattern)
        if route.endswith("/"):  # pages end in "/"; posts do not
            prefix = route.split("/")[0]
            kwargs = {"pk": objects.get(prefix, file.person_id)}
            if "<int:pk>" not in route:
                kwargs = {}
            found.append(reverse(f"survivors:{pattern.name}", kwargs=kwargs))
    return found


def _support_objects(coordinator: User, file: SurvivorFile) -> dict[str, int]:
    sheet = actions.create_information_sheet(
        coordinator, file.organisation, language="en", title="Consent sheet", body="Text"
    )
    provider = make_provider(coordinator, file.organisation)
    give(coordinator, file, Scope.REFERRAL, qualifier=provider.name)
    referral = actions.create_referral(
        coordinator, file, actions.ReferralData(provider=provider, shared_items=["code"])
    )
    plan = actions.save_plan(coordinator, file, needs=["medical"])
    action = actions.add_plan_action(
        coordinator, plan, description="Call", owner=coordinator,
        due_on=timezone.localdate() + dt.timedelta(days=9),
    )  # fmt: skip
    assessment = actions.record_safety_assessment(
        coordinator, file,
        actions.Safety(review_on=timezone.localdate(), contact_methods="By phone"),
    )  # fmt: skip
    return {"sheets": sheet.pk, "providers": provider.pk, "referrals": referral.pk,
            "plan-actions": action.pk, "reviews": assessment.pk}  # fmt: skip


@pytest.fixture
def signed_in(client: Client, coordinator: User) -> Client:
    return _login(client, coordinator)


def _login(client: Client, user: User) -> Client:
    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
    )
    client.force_login(user)
    return client


def test_every_survivors_page_has_the_quick_exit_and_a_neutral_title(
    signed_in: Client, coordinator: User, admin: User, file: SurvivorFile, settings: object
) -> None:
    settings.SURVIVORS_PAGE = True  # type: ignore[attr-defined]  # its staff pages exist only then
    give(coordinator, file, Scope.DOCUMENTATION)
    pages = survivor_pages(file, _support_objects(coordinator, file))
    assert len(pages) >= 20
    as_admin = _login(Client(), admin)  # retention and legal holds are the admin's
    for path in pages:
        response = signed_in.get(path, follow=True)  # an action opens on its plan
        if response.status_code == 404:
            response = as_admin.get(path, follow=True)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert "data-quick-exit" in html and "https://www.wikipedia.org/" in html, path
        assert "survivors/quick_exit.js" in html, path
        title = re.search(r"<title>(.*?)</title>", html, re.S)
        assert title is not None and not FORBIDDEN.search(title.group(1)), (path, title)


def test_the_neutral_title_and_exit_are_settings(
    signed_in: Client, coordinator: User, file: SurvivorFile, settings: object
) -> None:
    settings.SURVIVORS_NEUTRAL_TITLE = "Recipes"  # type: ignore[attr-defined]
    settings.SURVIVORS_QUICK_EXIT_URL = "https://weather.example/"  # type: ignore[attr-defined]
    html = signed_in.get(reverse("survivors:consent", args=[file.person_id])).content.decode()
    assert "<title>Recipes ·" in html and 'href="https://weather.example/"' in html


def test_the_exit_replaces_the_history_entry_and_answers_escape_twice() -> None:
    script = SCRIPT.read_text()
    assert "location.replace(" in script and '"Escape"' in script
    assert "location.href =" not in script  # an assignment would keep this page in the history
