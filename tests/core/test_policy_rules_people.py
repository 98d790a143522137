"""Policy rules for memberships and user accounts: who sees and manages whom."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from justicework.core import policy
from justicework.core.models import Membership, Organisation, User


def _membership(cast: SimpleNamespace, name: str) -> Membership:
    return Membership.objects.get(user=getattr(cast, name), organisation=cast.acme)


@pytest.mark.parametrize("name", ["admin", "viewer", "superuser"])
def test_members_of_the_organisation_and_superusers_see_a_membership(
    cast: SimpleNamespace, name: str
) -> None:
    assert policy.can(getattr(cast, name), "view", _membership(cast, "documenter"))


def test_someone_sees_their_own_membership_even_of_an_inactive_organisation(
    cast: SimpleNamespace,
) -> None:
    Organisation.objects.filter(pk=cast.beacon.pk).update(is_active=False)
    cast.outsider.forget_memberships()
    own = Membership.objects.get(user=cast.outsider)
    assert policy.can(cast.outsider, "view", own)
    assert not policy.can(cast.beacon_admin, "view", own)
    decision = policy.can(cast.outsider, "view", _membership(cast, "documenter"))
    assert not decision
    assert "Only members of this organisation see its members" in str(decision.reason)


@pytest.mark.parametrize("name", ["analyst", "documenter", "beacon_admin", "loner"])
def test_only_the_organisations_admins_change_memberships(cast: SimpleNamespace, name: str) -> None:
    decision = policy.can(getattr(cast, name), "manage", _membership(cast, "viewer"))
    assert not decision
    assert "Only this organisation's admins change memberships" in str(decision.reason)


def test_admins_and_superusers_change_memberships(cast: SimpleNamespace) -> None:
    assert policy.can(cast.admin, "manage", _membership(cast, "viewer"))
    assert policy.can(cast.superuser, "manage", _membership(cast, "viewer"))


def test_visible_memberships_are_the_organisations_plus_ones_own(cast: SimpleNamespace) -> None:
    seen = set(policy.visible(cast.outsider, Membership).values_list("user__email", flat=True))
    assert seen == {"outsider@beacon.test", "admin@beacon.test"}
    managed = policy.visible(cast.admin, Membership, "manage")
    assert {m.organisation_id for m in managed} == {cast.acme.pk}
    assert not policy.visible(cast.viewer, Membership, "manage").exists()


def test_a_user_sees_themself_and_people_sharing_an_organisation(cast: SimpleNamespace) -> None:
    assert policy.can(cast.loner, "view", cast.loner)
    assert policy.can(cast.viewer, "view", cast.documenter)
    decision = policy.can(cast.viewer, "view", cast.outsider)
    assert not decision
    assert "You do not share an organisation" in str(decision.reason)


def test_visible_users_are_oneself_and_co_members(cast: SimpleNamespace) -> None:
    seen = set(policy.visible(cast.outsider, User).values_list("email", flat=True))
    assert seen == {"outsider@beacon.test", "admin@beacon.test"}
    assert list(policy.visible(cast.loner, User)) == [cast.loner]
    assert policy.visible(cast.superuser, User).count() == User.objects.count()


@pytest.mark.parametrize("action", ["view_all", "use_admin"])
def test_only_superusers_see_every_account_or_use_the_admin(
    cast: SimpleNamespace, action: str
) -> None:
    assert policy.can(cast.superuser, action, User)
    decision = policy.can(cast.admin, action, User)
    assert not decision
    assert "Only platform administrators do this" in str(decision.reason)


def test_a_user_changes_only_their_own_account(cast: SimpleNamespace) -> None:
    assert policy.can(cast.viewer, "manage_self", cast.viewer)
    decision = policy.can(cast.admin, "manage_self", cast.viewer)
    assert not decision
    assert "You can only change your own account" in str(decision.reason)
    assert list(policy.visible(cast.viewer, User, "manage_self")) == [cast.viewer]


def test_an_unknown_action_on_users_is_denied(cast: SimpleNamespace) -> None:
    assert not policy.can(cast.superuser, "delete_everyone", cast.viewer)
    assert not policy.visible(cast.superuser, User, "delete_everyone").exists()
