"""Roles and capabilities: data, not code paths.

A membership carries one role; a role grants a set of capabilities. docs/roles.md holds the same
table for people, and ``tests/core/test_roles_doc.py`` checks the two agree. Capabilities are the
only thing policy rules look at; no rule tests a role by name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from justicework.core.models import User


class Role(models.TextChoices):
    ORG_ADMIN = "org_admin", _("Organisation admin")
    LEGAL_ANALYST = "legal_analyst", _("Legal analyst")
    DOCUMENTER = "documenter", _("Documenter")
    SUPPORT_COORDINATOR = "support_coordinator", _("Support coordinator")
    PROGRAMME_OFFICER = "programme_officer", _("Programme officer")
    REVIEWER = "reviewer", _("Reviewer")
    GRANTEE = "grantee", _("Grantee (applicant organisation)")
    VIEWER = "viewer", _("Viewer")


class Capability(models.TextChoices):
    ORG_VIEW = "org.view", _("See the organisation and its members")
    ORG_MANAGE = "org.manage", _("Edit the organisation, add and remove members, change roles")
    AUDIT_VIEW = "audit.view", _("Read the organisation's audit log")
    RECORD_VIEW = "record.view", _("See documentation records (pseudonymised)")
    RECORD_CREATE = "record.create", _("Create documentation records")
    RECORD_EDIT = "record.edit", _("Edit documentation records")
    RECORD_VERIFY = "record.verify", _("Mark records as verified")
    RECORD_DELETE = "record.delete", _("Delete draft records")
    IDENTITY_REVEAL = "identity.reveal", _("Reveal identities (with a need-to-know grant)")
    IDENTITY_GRANT = "identity.grant", _("Grant need-to-know on identities")
    IDENTITY_REQUESTS = (
        "identity.requests",
        _("Decide members' requests for need-to-know on identities"),
    )
    EVIDENCE_VIEW = "evidence.view", _("Open evidence files")
    IMPORT = "data.import", _("Import records")
    EXPORT = "data.export", _("Export records")
    LEGAL_ASSESS = "legal.assess", _("Qualify facts and manage case files")
    SURVIVOR_SUPPORT = "survivor.support", _("Record consent, safety and referrals")
    PROGRAMME_MANAGE = "programme.manage", _("Manage grants, results, trainings and the library")
    REVIEW = "review.submit", _("Review applications and reports")
    GRANT_APPLY = "grant.apply", _("Apply for sub-grants and report on them")


C = Capability

ROLE_CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.ORG_ADMIN: frozenset(
        {
            C.ORG_VIEW,
            C.ORG_MANAGE,
            C.AUDIT_VIEW,
            C.RECORD_VIEW,
            C.RECORD_CREATE,
            C.RECORD_EDIT,
            C.RECORD_VERIFY,
            C.RECORD_DELETE,
            C.IDENTITY_REVEAL,
            C.IDENTITY_GRANT,
            C.IDENTITY_REQUESTS,
            C.EVIDENCE_VIEW,
            C.IMPORT,
            C.EXPORT,
        }
    ),
    Role.LEGAL_ANALYST: frozenset(
        {
            C.ORG_VIEW,
            C.RECORD_VIEW,
            C.RECORD_EDIT,
            C.RECORD_VERIFY,
            C.IDENTITY_REVEAL,
            C.EVIDENCE_VIEW,
            C.EXPORT,
            C.LEGAL_ASSESS,
        }
    ),
    Role.DOCUMENTER: frozenset(
        {
            C.ORG_VIEW,
            C.RECORD_VIEW,
            C.RECORD_CREATE,
            C.RECORD_EDIT,
            C.RECORD_DELETE,
            C.IDENTITY_REVEAL,
            C.EVIDENCE_VIEW,
            C.IMPORT,
            C.EXPORT,
        }
    ),
    Role.SUPPORT_COORDINATOR: frozenset(
        {C.ORG_VIEW, C.RECORD_VIEW, C.IDENTITY_REVEAL, C.IDENTITY_REQUESTS, C.SURVIVOR_SUPPORT}
    ),
    Role.PROGRAMME_OFFICER: frozenset({C.ORG_VIEW, C.PROGRAMME_MANAGE, C.EXPORT}),
    Role.REVIEWER: frozenset({C.ORG_VIEW, C.REVIEW}),
    Role.GRANTEE: frozenset({C.ORG_VIEW, C.GRANT_APPLY}),
    Role.VIEWER: frozenset({C.ORG_VIEW, C.RECORD_VIEW}),
}

#: Capabilities that open identities or evidence; a role holding any of them must use MFA.
MFA_CAPABILITIES = frozenset(
    {C.IDENTITY_REVEAL, C.EVIDENCE_VIEW, C.ORG_MANAGE, C.IDENTITY_GRANT, C.IDENTITY_REQUESTS}
)


def roles_with(capability: Capability) -> list[str]:
    """The roles that grant ``capability`` (for finding who may receive or give something)."""
    return sorted(
        role.value for role, capabilities in ROLE_CAPABILITIES.items() if capability in capabilities
    )


def user_requires_mfa(user: User) -> bool:
    """Platform superusers and members whose role opens identities or evidence use MFA."""
    return bool(user.is_superuser) or any(
        role_requires_mfa(m.role) for m in user.active_memberships()
    )


def capabilities_of(role: str) -> frozenset[Capability]:
    return ROLE_CAPABILITIES.get(Role(role), frozenset())


def role_requires_mfa(role: str) -> bool:
    return bool(capabilities_of(role) & MFA_CAPABILITIES)
