"""The web shell's dashboard cards, called as providers: what each shows of the active
organisation (and only of it), how many entries it lists and counts, and when it stays away."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from justicework.audit.chain import record
from justicework.audit.models import AuditEntry
from justicework.core import actions
from justicework.core.models import Membership
from justicework.core.roles import Role
from justicework.web import cards
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def request_as(user, organisation=None):
    request = RequestFactory().get("/")
    request.user = user
    request.membership = (
        Membership.objects.get(user=user, organisation=organisation) if organisation else None
    )
    return request


def invite(cast: SimpleNamespace, n: int) -> list[str]:
    emails = []
    for i in range(n):
        person = make_user(f"new{i}@acme.test")
        actions.add_member(cast.admin, cast.acme, person, Role.VIEWER)
        emails.append(person.email)
    return emails


def test_the_pending_card_lists_the_five_newest_and_counts_them_all(cast) -> None:
    invite(cast, 7)
    card = cards.pending_card(request_as(cast.admin, cast.acme))
    assert card is not None
    # The cast's seven never signed in, nor did the seven new ones.
    assert card["count"] == 14
    assert len(card["entries"]) == cards.PENDING_MEMBERS_SHOWN
    assert card["entries"][0]["label"] == "New6"
    assert all(entry["note"] == "Viewer" for entry in card["entries"])
    assert card["url"] == reverse("web:organisation_detail", args=[cast.acme.pk])


def test_the_pending_card_counts_exactly_when_fewer_than_five_are_pending(cast) -> None:
    type(cast.admin).objects.exclude(pk=cast.viewer.pk).update(last_login=timezone.now())
    card = cards.pending_card(request_as(cast.admin, cast.acme))
    assert card is not None
    assert (card["count"], [e["label"] for e in card["entries"]]) == (1, ["Viewer"])


@pytest.mark.parametrize("who", ["viewer", "documenter", "analyst"])
def test_only_those_who_manage_members_get_the_pending_card(cast, who) -> None:
    assert cards.pending_card(request_as(getattr(cast, who), cast.acme)) is None


def test_the_audit_card_lists_the_newest_five_of_the_active_organisation_only(cast) -> None:
    for i in range(6):
        record(None, f"test.acme.{i}", organisation_id=cast.acme.pk)
    record(None, "test.beacon.secret", organisation_id=cast.beacon.pk)
    card = cards.audit_card(request_as(cast.admin, cast.acme))
    assert card is not None
    labels = [entry["label"] for entry in card["entries"]]
    assert labels == [f"test.acme.{i}" for i in (5, 4, 3, 2, 1)]
    assert "test.beacon.secret" not in labels
    assert card["count"] == AuditEntry.objects.filter(organisation_id=cast.acme.pk).count()


def test_the_audit_card_counts_exactly_when_there_are_few_entries(cast) -> None:
    organisation = actions.create_organisation(
        None, name="Quiet Centre", kind="member", countries=["UA"]
    )
    actions.add_member(None, organisation, cast.loner, Role.ORG_ADMIN)
    cast.loner.forget_memberships()
    card = cards.audit_card(request_as(cast.loner, organisation))
    assert card is not None
    assert card["count"] == len(card["entries"]) < cards.RECENT_AUDIT_ENTRIES


@pytest.mark.parametrize("who", ["viewer", "documenter", "reviewer"])
def test_members_without_the_audit_capability_get_no_audit_card(cast, who) -> None:
    assert cards.audit_card(request_as(getattr(cast, who), cast.acme)) is None


def test_no_active_organisation_means_no_organisation_cards(cast) -> None:
    request = request_as(cast.admin)
    assert cards.members_card(request) is None
    assert cards.pending_card(request) is None
    assert cards.audit_card(request) is None


def test_the_members_card_counts_the_active_organisations_members(cast) -> None:
    card = cards.members_card(request_as(cast.outsider, cast.beacon))
    assert card is not None
    assert (card["title"], card["count"]) == ("Members of Beacon Justice Centre", 2)


def test_only_the_platform_administrator_gets_the_accounts_card(cast) -> None:
    assert cards.people_card(request_as(cast.admin, cast.acme)) is None
    card = cards.people_card(request_as(cast.superuser))
    assert card is not None
    assert card["count"] == type(cast.admin).objects.count()


def test_a_user_without_organisations_is_told_to_ask_for_membership(cast) -> None:
    card = cards.organisations_card(request_as(cast.loner))
    assert card is not None
    assert card["title"] == "No organisation yet"
    assert "count" not in card and "url" not in card


def test_a_member_sees_the_directory_count(cast) -> None:
    card = cards.organisations_card(request_as(cast.viewer, cast.acme))
    assert card is not None
    assert card["count"] == 2 and card["url"] == reverse("web:organisation_list")


def test_the_audit_link_follows_the_capability_in_the_active_organisation(cast) -> None:
    assert cards._may_read_active_audit(request_as(cast.admin, cast.acme))
    assert not cards._may_read_active_audit(request_as(cast.viewer, cast.acme))
    assert not cards._may_read_active_audit(request_as(cast.admin))
    assert cards._may_see_organisations(request_as(cast.viewer, cast.acme))
    assert not cards._may_see_organisations(request_as(cast.loner))
