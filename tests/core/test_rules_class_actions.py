"""``core.rules`` for questions about a model class rather than a record, and for actions no
rule names: every one is denied with a reason, and ``visible`` lists nothing for them."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from justicework.core import policy
from justicework.core.models import AccessGrant, ApiToken, Membership, Organisation, User

pytestmark = pytest.mark.django_db


def test_only_platform_administrators_create_organisations(cast: SimpleNamespace) -> None:
    assert policy.can(cast.superuser, "create", Organisation)
    refused = policy.can(cast.admin, "create", Organisation)
    assert not refused and "Only platform administrators" in str(refused.reason)


def test_a_loner_is_refused_the_directory_with_a_reason(cast: SimpleNamespace) -> None:
    refused = policy.can(cast.loner, "view", cast.acme)
    assert str(refused.reason) == "You are not a member of any organisation."
    assert not policy.visible(cast.loner, Organisation).exists()


@pytest.mark.parametrize(
    ("model", "action"),
    [
        (Organisation, "manage"),
        (Organisation, "view"),
        (Membership, "view"),
        (User, "view"),
        (User, "manage_self"),
        (AccessGrant, "view"),
        (ApiToken, "view"),
        (ApiToken, "revoke"),
    ],
)
def test_record_actions_asked_of_the_class_have_no_rule(
    cast: SimpleNamespace, model: type, action: str
) -> None:
    assert policy.can(cast.superuser, action, model) == policy.NO_RULE


@pytest.mark.parametrize(
    ("model", "action"),
    [
        (Organisation, "delete"),
        (Membership, "delete"),
        (User, "delete"),
        (AccessGrant, "extend"),
        (ApiToken, "rename"),
    ],
)
def test_an_action_no_rule_names_is_denied_and_lists_nothing(
    cast: SimpleNamespace, model: type, action: str
) -> None:
    record = model._default_manager.first() or model()
    assert not policy.can(cast.superuser, action, record)
    assert not policy.visible(cast.superuser, model, action).exists()


def test_a_superuser_lists_inactive_organisations_and_members_do_not(
    cast: SimpleNamespace,
) -> None:
    Organisation.objects.filter(pk=cast.beacon.pk).update(is_active=False)
    assert set(policy.visible(cast.superuser, Organisation)) == {cast.acme, cast.beacon}
    assert set(policy.visible(cast.superuser, Organisation, "manage")) == {cast.acme, cast.beacon}
    assert list(policy.visible(cast.admin, Organisation)) == [cast.acme]


def test_a_superuser_does_not_read_an_organisations_audit_log_as_such(
    cast: SimpleNamespace,
) -> None:
    refused = policy.can(cast.superuser, "view_audit", cast.acme)
    assert "audit log" in str(refused.reason)
    assert policy.can(cast.admin, "view_audit", cast.acme)
    assert not policy.visible(cast.superuser, Organisation, "view_audit").exists()


def test_a_token_is_created_for_oneself_only_on_the_class(cast: SimpleNamespace) -> None:
    assert policy.can(cast.viewer, "create", ApiToken)
    token = ApiToken(user=cast.viewer)
    refused = policy.can(cast.viewer, "create", token)
    assert str(refused.reason) == "Only active users create API tokens."
    assert not policy.visible(cast.viewer, ApiToken, "create").exists()


def test_only_oneself_is_listed_for_manage_self(cast: SimpleNamespace) -> None:
    assert list(policy.visible(cast.admin, User, "manage_self")) == [cast.admin]
    assert list(policy.visible(cast.superuser, User, "manage_self")) == [cast.superuser]
    refused = policy.can(cast.admin, "manage_self", cast.viewer)
    assert str(refused.reason) == "You can only change your own account."


def test_an_outsider_does_not_see_a_user_of_another_organisation(cast: SimpleNamespace) -> None:
    refused = policy.can(cast.outsider, "view", cast.viewer)
    assert str(refused.reason) == "You do not share an organisation."
    assert policy.can(cast.beacon_admin, "view", cast.outsider)
