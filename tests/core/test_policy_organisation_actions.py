"""Organisation-level permissions are policy rules: each allows its holders and denies the rest."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from justicework.core import policy
from justicework.core.models import Organisation, User
from justicework.dataio import rules as dataio_rules

# action on acme -> (who may, who may not)
ORGANISATION_ACTIONS = {
    "import": (["admin", "documenter"], ["analyst", "officer", "viewer", "outsider", "loner"]),
    "export": (["admin", "analyst", "documenter", "officer"], ["viewer", "reviewer", "outsider"]),
    "verify_records": (["admin", "analyst"], ["documenter", "viewer", "outsider", "superuser"]),
    "view_records": (["admin", "viewer", "coordinator"], ["officer", "reviewer", "outsider"]),
    "view_audit": (["admin"], ["analyst", "documenter", "viewer", "beacon_admin", "superuser"]),
    "reindex_persons": (["admin"], ["documenter", "analyst", "viewer", "beacon_admin", "outsider"]),
    "track_work": (["viewer", "reviewer", "superuser"], ["outsider", "beacon_admin", "loner"]),
}


@pytest.mark.parametrize("action", sorted(ORGANISATION_ACTIONS))
def test_organisation_action_allows_its_holders_and_denies_the_rest(
    cast: SimpleNamespace, action: str
) -> None:
    allowed, denied = ORGANISATION_ACTIONS[action]
    for name in allowed:
        assert policy.can(getattr(cast, name), action, cast.acme), (action, name)
    for name in denied:
        decision = policy.can(getattr(cast, name), action, cast.acme)
        assert not decision, (action, name)
        assert str(decision.reason)


@pytest.mark.parametrize("action", ["import", "export", "verify_records", "view_records"])
def test_organisation_action_is_denied_on_an_inactive_organisation(
    cast: SimpleNamespace, action: str
) -> None:
    Organisation.objects.filter(pk=cast.acme.pk).update(is_active=False)
    cast.acme.refresh_from_db()
    cast.admin.forget_memberships()
    assert not policy.can(cast.admin, action, cast.acme)
    assert not policy.can(cast.admin, action, Organisation)  # needs an organisation, not a class


def test_organisation_actions_are_denied_to_anonymous_users(cast: SimpleNamespace) -> None:
    for action in [*ORGANISATION_ACTIONS, "view_directory"]:
        assert not policy.can(AnonymousUser(), action, cast.acme)


def test_the_organisations_visible_for_an_action_are_those_it_allows(
    cast: SimpleNamespace,
) -> None:
    assert list(policy.visible(cast.documenter, Organisation, "import")) == [cast.acme]
    assert list(policy.visible(cast.viewer, Organisation, "export")) == []
    assert list(policy.visible(cast.outsider, Organisation, "export")) == [cast.beacon]


def test_track_work_denial_keeps_its_message(cast: SimpleNamespace) -> None:
    decision = policy.can(cast.outsider, "track_work", cast.acme)
    assert str(decision.reason) == "You are not a member of this organisation."


def test_the_directory_is_for_members_and_platform_admins(cast: SimpleNamespace) -> None:
    assert policy.can(cast.viewer, "view_directory", Organisation)
    assert policy.can(cast.superuser, "view_directory", Organisation)
    assert not policy.can(cast.loner, "view_directory", Organisation)
    assert not policy.can(cast.viewer, "view", Organisation)  # "view" needs an organisation


@pytest.mark.parametrize("action", ["view_all", "use_admin"])
def test_platform_actions_are_for_superusers_only(cast: SimpleNamespace, action: str) -> None:
    assert policy.can(cast.superuser, action, User)
    for name in ["admin", "beacon_admin", "viewer", "loner"]:
        assert not policy.can(getattr(cast, name), action, User), name
    assert not policy.can(cast.superuser, action, cast.admin)  # on the class only
    inactive = cast.superuser
    User.objects.filter(pk=inactive.pk).update(is_active=False)
    inactive.refresh_from_db()
    assert not policy.can(inactive, action, User)


def test_require_export_refuses_with_the_export_message(cast: SimpleNamespace) -> None:
    dataio_rules.require_export(cast.officer, cast.acme)
    with pytest.raises(PermissionDenied, match="does not allow exporting"):
        dataio_rules.require_export(cast.viewer, cast.acme)


def test_another_apps_actions_leave_cores_organisation_actions_alone(
    cast: SimpleNamespace,
) -> None:
    rule = policy.rule_for(Organisation)
    assert isinstance(rule, policy.OrganisationActionsRule)
    assert {"import", "export", "verify_records", "create_incident"} <= set(rule.actions)
    assert policy.can(cast.admin, "manage", cast.acme)
    assert not policy.can(cast.viewer, "manage", cast.acme)
    assert not policy.can(cast.admin, "no_such_action", cast.acme)


def test_allowed_organisation_ids_answers_like_visible(cast: SimpleNamespace) -> None:
    assert policy.allowed_organisation_ids(cast.viewer, "view_records") == [cast.acme.pk]
    assert policy.allowed_organisation_ids(cast.officer, "view_records") == []
    assert policy.allowed_organisation_ids(cast.admin, "view_audit") == [cast.acme.pk]
    assert policy.allowed_organisation_ids(cast.viewer, "view_audit") == []
    assert policy.allowed_organisation_ids(AnonymousUser(), "view_records") == []
    for user in [cast.viewer, cast.officer, cast.outsider, cast.loner]:
        expected = sorted(
            policy.visible(user, Organisation, "view_records").values_list("pk", flat=True)
        )
        assert policy.allowed_organisation_ids(user, "view_records") == expected
