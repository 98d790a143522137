"""Policy rules for need-to-know grants and personal API tokens."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from justicework.core import actions, policy
from justicework.core.models import AccessGrant, ApiToken
from justicework.core.roles import Capability


@pytest.fixture
def grant(cast: SimpleNamespace) -> AccessGrant:
    return AccessGrant.objects.create(
        user=cast.analyst,
        organisation=cast.acme,
        capability=Capability.IDENTITY_REVEAL,
        object_type="violations.person",
        object_id="1",
        granted_by=cast.admin,
        reason="case file",
    )


def test_the_grantee_sees_the_grant_but_does_not_revoke_it(
    cast: SimpleNamespace, grant: AccessGrant
) -> None:
    assert policy.can(cast.analyst, "view", grant)
    decision = policy.can(cast.analyst, "revoke", grant)
    assert not decision
    assert "Only admins of the organisation manage need-to-know grants" in str(decision.reason)


def test_the_organisations_admin_sees_and_revokes_a_grant(
    cast: SimpleNamespace, grant: AccessGrant
) -> None:
    assert policy.can(cast.admin, "view", grant)
    assert policy.can(cast.admin, "revoke", grant)


@pytest.mark.parametrize("name", ["viewer", "beacon_admin", "superuser"])
def test_others_neither_see_nor_revoke_a_grant(
    cast: SimpleNamespace, grant: AccessGrant, name: str
) -> None:
    assert not policy.can(getattr(cast, name), "view", grant)
    assert not policy.can(getattr(cast, name), "revoke", grant)


def test_visible_grants_follow_the_rule(cast: SimpleNamespace, grant: AccessGrant) -> None:
    assert list(policy.visible(cast.analyst, AccessGrant)) == [grant]
    assert list(policy.visible(cast.admin, AccessGrant, "revoke")) == [grant]
    assert not policy.visible(cast.analyst, AccessGrant, "revoke").exists()
    assert not policy.visible(cast.beacon_admin, AccessGrant).exists()
    assert not policy.visible(cast.admin, AccessGrant, "extend").exists()


def test_an_inactive_user_is_refused_a_token(cast: SimpleNamespace) -> None:
    assert policy.can(cast.viewer, "create", ApiToken)
    cast.viewer.is_active = False
    assert not policy.can(cast.viewer, "create", ApiToken)


def test_a_token_is_seen_and_revoked_by_its_owner_only(cast: SimpleNamespace) -> None:
    token, _secret = actions.create_token(cast.viewer, name="t", scope="read", expires_in_days=5)
    assert policy.can(cast.viewer, "view", token)
    for name in ["admin", "superuser"]:
        decision = policy.can(getattr(cast, name), "revoke", token)
        assert not decision
        assert "This is not your token" in str(decision.reason)
    assert list(policy.visible(cast.viewer, ApiToken, "revoke")) == [token]
    assert not policy.visible(cast.superuser, ApiToken).exists()
    assert not policy.visible(cast.viewer, ApiToken, "rename").exists()
