"""Who may receive and who may give a need-to-know grant is the rules module's answer."""

from __future__ import annotations

from types import SimpleNamespace

from justicework.core.models import Membership
from justicework.violations import rules


def test_grants_go_only_to_members_whose_role_reveals_identities(cast: SimpleNamespace) -> None:
    members = rules.members_who_may_reveal(Membership.objects.filter(organisation=cast.acme))
    emails = {m.user.email for m in members}
    assert {"admin@acme.test", "analyst@acme.test", "documenter@acme.test"} <= emails
    assert "coordinator@acme.test" in emails
    for denied in ["viewer@acme.test", "officer@acme.test", "reviewer@acme.test"]:
        assert denied not in emails


def test_inactive_users_receive_no_grant(cast: SimpleNamespace) -> None:
    type(cast.analyst).objects.filter(pk=cast.analyst.pk).update(is_active=False)
    members = rules.members_who_may_reveal(Membership.objects.filter(organisation=cast.acme))
    assert "analyst@acme.test" not in {m.user.email for m in members}


def test_only_admins_are_asked_for_need_to_know(cast: SimpleNamespace) -> None:
    assert [m.user for m in rules.identity_granters(cast.acme)] == [cast.admin]
    assert [m.user for m in rules.identity_granters(cast.beacon)] == [cast.beacon_admin]
