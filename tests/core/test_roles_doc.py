"""docs/roles.md agrees with core/roles.py, and every capability denies the roles without it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

from justicework.core import actions, policy
from justicework.core.models import AccessGrant, Membership, Organisation
from justicework.core.roles import (
    MFA_CAPABILITIES,
    ROLE_CAPABILITIES,
    Capability,
    Role,
    role_requires_mfa,
)
from justicework.core.roles_doc import BEGIN, END, TICK, render_table

DOC = Path(__file__).resolve().parents[2] / "docs" / "roles.md"

#: The cast member holding each role in acme (tests/conftest.py).
CAST_BY_ROLE = {
    Role.ORG_ADMIN: "admin",
    Role.LEGAL_ANALYST: "analyst",
    Role.DOCUMENTER: "documenter",
    Role.SUPPORT_COORDINATOR: "coordinator",
    Role.PROGRAMME_OFFICER: "officer",
    Role.REVIEWER: "reviewer",
    Role.VIEWER: "viewer",
}


def parse_doc_table() -> dict[str, set[str]]:
    text = DOC.read_text(encoding="utf-8")
    table = text[text.index(BEGIN) + len(BEGIN) : text.index(END)].strip().splitlines()
    header = [cell.strip().strip("`") for cell in table[0].strip("|").split("|")]
    roles = header[1:]
    granted: dict[str, set[str]] = {role: set() for role in roles}
    for line in table[2:]:
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        match = re.match(r"`([^`]+)`", cells[0])
        assert match, f"no capability code in {cells[0]!r}"
        for role, cell in zip(roles, cells[1:], strict=True):
            assert cell in {"", TICK}, f"unexpected cell {cell!r}"
            if cell == TICK:
                granted[role].add(match.group(1))
    return granted


def test_every_documented_capability_is_granted_in_code():
    documented = parse_doc_table()
    for role, capabilities in documented.items():
        in_code = {str(c) for c in ROLE_CAPABILITIES[Role(role)]}
        assert capabilities <= in_code, (
            f"{role}: documented but not in code: {capabilities - in_code}"
        )


def test_every_capability_granted_in_code_is_documented():
    documented = parse_doc_table()
    assert set(documented) == {role.value for role in Role}
    for role, capabilities in ROLE_CAPABILITIES.items():
        in_code = {str(c) for c in capabilities}
        assert in_code <= documented[role.value], (
            f"{role}: in code but not documented: {in_code - documented[role.value]}"
        )


def test_doc_table_is_exactly_the_generated_one():
    text = DOC.read_text(encoding="utf-8")
    assert render_table() in text
    codes = set(re.findall(r"^\| `([a-z_.]+)`", text, flags=re.MULTILINE))
    assert codes == {c.value for c in Capability}


def test_roles_that_open_identities_or_evidence_need_mfa():
    for role, capabilities in ROLE_CAPABILITIES.items():
        assert role_requires_mfa(role) == bool(capabilities & MFA_CAPABILITIES)
    assert role_requires_mfa(Role.DOCUMENTER)
    assert not role_requires_mfa(Role.VIEWER)


# --- Each capability, through the policy engine, for every role --------------------------------


@pytest.fixture
def acme_record(cast):
    """A real acme-owned row to decide on (a need-to-know grant is owned by an organisation)."""
    return AccessGrant.objects.create(
        user=cast.viewer,
        organisation=cast.acme,
        capability=Capability.IDENTITY_REVEAL,
        object_type="core.organisation",
        object_id=str(cast.acme.pk),
        reason="test",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("capability", list(Capability))
def test_capability_is_denied_to_every_role_without_it(cast, acme_record, capability):
    """The rule every org-owned model uses: an action needing ``capability`` on an acme record is
    allowed exactly for the roles that hold it, and the row is visible exactly to them."""
    rule = policy.OrganisationOwnedRule({"act": capability})
    for role, name in CAST_BY_ROLE.items():
        user = getattr(cast, name)
        holds = capability in ROLE_CAPABILITIES[role]
        assert bool(rule.can(user, "act", acme_record)) is holds, (role, capability)
        visible = rule.visible(user, "act", AccessGrant.objects.all())
        assert visible.filter(pk=acme_record.pk).exists() is holds, (role, capability)
    # Holding the capability in another organisation does not help.
    assert not rule.can(cast.beacon_admin, "act", acme_record)


# --- Concrete denials of the core capabilities -------------------------------------------------


@pytest.mark.django_db
def test_without_org_manage_no_role_can_change_a_role(cast):
    target = Membership.objects.get(user=cast.viewer)
    for role, name in CAST_BY_ROLE.items():
        if Capability.ORG_MANAGE in ROLE_CAPABILITIES[role]:
            continue
        with pytest.raises(PermissionDenied):
            actions.change_role(getattr(cast, name), target, Role.ORG_ADMIN)
    target.refresh_from_db()
    assert target.role == Role.VIEWER


@pytest.mark.django_db
def test_without_audit_view_no_role_reads_the_audit_log(cast):
    for role, name in CAST_BY_ROLE.items():
        allowed = Capability.AUDIT_VIEW in ROLE_CAPABILITIES[role]
        assert bool(policy.can(getattr(cast, name), "view_audit", cast.acme)) is allowed


@pytest.mark.django_db
def test_without_org_view_nobody_sees_the_members(cast):
    assert not policy.can(cast.loner, "view_members", cast.acme)
    assert not policy.can(cast.outsider, "view_members", cast.acme)
    assert list(policy.visible(cast.outsider, Organisation, "view_members")) == [cast.beacon]


@pytest.mark.django_db
def test_without_identity_grant_no_role_revokes_a_need_to_know_grant(cast, acme_record):
    for role, name in CAST_BY_ROLE.items():
        allowed = Capability.IDENTITY_GRANT in ROLE_CAPABILITIES[role]
        assert bool(policy.can(getattr(cast, name), "revoke", acme_record)) is allowed
