"""The grants header links: each shows to those whose capabilities open its page (asked of
the policy on the active organisation), is absent for the others, and opens."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from justicework.core import actions
from justicework.core.models import User
from justicework.core.roles import Role
from tests.grants.review.conftest import member

pytestmark = pytest.mark.django_db

LINKS = {
    "my_applications": "grants:my_applications",
    "review_desk": "grants:review_desk",
    "review_queue": "grants:review_queue",
    "awards": "grants:award_list",
    "reports": "grants:report_review_list",
    "dashboards": "grants:dashboard_index",
    "published": "grants:published_awards",
}
#: who sees which of the grants links (besides "Calls" and "Manage calls")
EXPECTED = {
    "officer": {"review_desk", "awards", "reports", "dashboards", "published"},
    "reviewer": {"review_queue", "published"},
    "grantee": {"my_applications", "awards", "published"},
    # an organisation's admin runs no grant programme (no programme.manage)
    "admin": {"published"},
    "viewer": {"published"},
}


def _sign_in(client: Client, user: User) -> None:
    if user.requires_mfa:  # an organisation's admin signs in with a second factor
        from allauth.mfa.models import Authenticator

        Authenticator.objects.get_or_create(
            user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
        )
    client.force_login(user)


def _shown(client: Client) -> set[str]:
    page = client.get(reverse("web:dashboard")).content.decode()
    nav = page[page.index('class="site-nav"') : page.index("</nav>")]
    hrefs = set(re.findall(r'href="([^"]+)"', nav))
    return {key for key, name in LINKS.items() if reverse(name) in hrefs}


@pytest.fixture
def people(officer, reviewer, admin, viewer, applicant) -> dict[str, User]:  # type: ignore[no-untyped-def]
    return {
        "officer": officer, "reviewer": reviewer, "grantee": applicant.user,
        "admin": admin, "viewer": viewer,
    }  # fmt: skip


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_each_link_shows_to_those_who_can_use_it_and_opens(
    who: str, people: dict[str, User], client: Client
) -> None:
    _sign_in(client, people[who])
    shown = _shown(client)
    assert shown == EXPECTED[who]
    for key in shown:
        assert client.get(reverse(LINKS[key])).status_code == 200, key


def test_a_programme_officer_of_another_organisation_sees_the_links_in_theirs_only(
    beacon, client: Client, applicant: SimpleNamespace
) -> None:
    officer = member(beacon, "officer@beacon.test", Role.PROGRAMME_OFFICER)
    member(applicant.org, "officer@grantee.test", Role.VIEWER)  # unrelated
    client.force_login(officer)
    assert _shown(client) == EXPECTED["officer"]


def test_the_links_follow_the_active_organisation(acme, beacon, client: Client) -> None:
    """Someone who reviews for one organisation and runs programmes in another sees the links
    of the organisation they work in now."""
    both = member(acme, "both@acme.test", Role.REVIEWER)
    actions.add_member(None, beacon, both, Role.PROGRAMME_OFFICER)
    both.forget_memberships()
    client.force_login(both)
    first = _shown(client)
    assert first in (EXPECTED["reviewer"], EXPECTED["officer"])
    other = beacon if first == EXPECTED["reviewer"] else acme
    client.post(reverse("core:switch_organisation"), {"organisation": other.pk, "next": "/"})
    assert {frozenset(first), frozenset(_shown(client))} == {
        frozenset(EXPECTED["reviewer"]),
        frozenset(EXPECTED["officer"]),
    }
