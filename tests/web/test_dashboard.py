"""The dashboard shows real, policy-filtered counts."""

from __future__ import annotations

import re

import pytest
from django.http import HttpRequest

from justicework.audit.models import AuditEntry
from justicework.core import actions
from justicework.core.roles import Role
from justicework.web import dashboard

pytestmark = pytest.mark.django_db


def _cards(html: str) -> dict[str, str]:
    """Card title -> count, read from the rendered page."""
    found = re.findall(
        r'<h2 id="card-\d+">([^<]+)</h2>\s*(?:<p class="card__count">(\d+)</p>)?', html
    )
    return dict(found)


def test_admin_sees_organisations_members_pending_and_audit_counts(login, admin, acme) -> None:
    html = login(admin).get("/").content.decode()
    cards = _cards(html)
    assert cards["Organisations"] == "2"
    assert cards["Members of Acme Rights Watch"] == "7"
    # The cast was created without anyone signing in; force_login set the admin's last_login.
    assert cards["Members who have not signed in yet"] == "6"
    assert cards["Audit log of Acme Rights Watch"] == str(
        AuditEntry.objects.filter(organisation_id=acme.pk).count()
    )
    assert "core.membership.added" in html  # recent entries are listed


def test_viewer_sees_no_audit_or_pending_card(login, viewer) -> None:
    cards = _cards(login(viewer).get("/").content.decode())
    assert cards["Members of Acme Rights Watch"] == "7"
    assert "Audit log of Acme Rights Watch" not in cards
    assert "Members who have not signed in yet" not in cards


def test_other_organisations_admin_sees_only_their_own_counts(login, beacon_admin) -> None:
    cards = _cards(login(beacon_admin).get("/").content.decode())
    assert cards["Members of Beacon Justice Centre"] == "2"
    assert not any("Acme" in title for title in cards)


def test_loner_is_told_to_ask_for_membership(login, loner) -> None:
    html = login(loner).get("/").content.decode()
    cards = _cards(html)
    assert "No organisation yet" in cards
    assert "Organisations" not in cards


def test_superuser_sees_all_organisations_and_accounts(login, superuser) -> None:
    cards = _cards(login(superuser).get("/").content.decode())
    assert cards["Organisations"] == "2"
    assert cards["Accounts on the platform"] == "11"


def test_dashboard_counts_follow_new_members(login, admin, acme, loner) -> None:
    actions.add_member(admin, acme, loner, Role.VIEWER)
    cards = _cards(login(admin).get("/").content.decode())
    assert cards["Members of Acme Rights Watch"] == "8"


def test_dashboard_queries_do_not_grow_with_data(
    login, admin, acme, django_assert_num_queries, django_assert_max_num_queries
) -> None:
    client = login(admin)
    client.get("/")  # warm the session
    # Each card: constant (your work: 1, and 1 for the identity requests waiting; imports: 1;
    # evidence: 1; survivors by sex: 1).
    with django_assert_max_num_queries(18) as small:
        client.get("/")
    for i in range(15):
        user = actions.create_user(None, email=f"extra{i}@acme.test", password=None)
        actions.add_member(None, acme, user, Role.VIEWER)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get("/")


def test_registered_cards_render_and_none_hides_a_card(login, viewer) -> None:
    def shown(request: HttpRequest) -> dashboard.Card:
        return {"title": "Custom card", "count": 42, "order": 1}

    def hidden(request: HttpRequest) -> None:
        return None

    dashboard.register(shown)
    dashboard.register(hidden)
    try:
        html = login(viewer).get("/").content.decode()
    finally:
        dashboard.unregister(shown)
        dashboard.unregister(hidden)
    cards = _cards(html)
    assert cards["Custom card"] == "42"
    assert next(iter(cards)) == "Custom card"  # order 1 comes first
