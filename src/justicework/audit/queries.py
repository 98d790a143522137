"""Reading the audit log, only through the policy (DESIGN 4.1).

An organisation's admins (capability ``audit.view``) read the entries about their organisation;
nobody reads another organisation's entries. Platform-wide entries (no organisation) are read
with ``justicework audit verify`` and the database, not through the application. The rule that
decides is ``audit.rules.AuditEntryRule``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from justicework.audit.models import AuditEntry
from justicework.core import policy
from justicework.core.actors import Requester

if TYPE_CHECKING:
    from justicework.core.models import Organisation


def entries_for(user: Requester, organisation: Organisation) -> QuerySet[AuditEntry]:
    """The audit entries of ``organisation`` that ``user`` may read, newest first; empty unless
    the policy allows ``view_audit`` on the organisation."""
    if not policy.can(user, "view_audit", organisation):
        return AuditEntry.objects.none()
    return (
        policy.visible(user, AuditEntry, "view")
        .filter(organisation_id=organisation.pk)
        .order_by("-seq")
    )
