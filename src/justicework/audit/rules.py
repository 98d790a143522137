"""Policy rule for the audit log (registered in ``AuditConfig.ready``).

An organisation's admins (capability ``audit.view``) read the entries about their organisation;
nobody reads another organisation's entries. Read them through ``audit.queries.entries_for``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from justicework.core import policy
from justicework.core.policy import ALLOW, Decision, deny
from justicework.core.roles import Capability

if TYPE_CHECKING:
    from justicework.core.models import User


class AuditEntryRule:
    """``view``: the entry's organisation grants the user ``audit.view``."""

    def can(self, user: User, action: str, obj: Any) -> Decision:
        if action != "view" or isinstance(obj, type):
            return policy.NO_RULE
        if policy.has_capability_in(user, Capability.AUDIT_VIEW, obj.organisation_id):
            return ALLOW
        return deny(_("Only this organisation's admins read its audit log."))

    def visible(self, user: User, action: str, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if action != "view":
            return queryset.none()
        orgs = policy.org_ids(user, Capability.AUDIT_VIEW)
        return queryset.filter(organisation_id__in=sorted(orgs)) if orgs else queryset.none()


def register() -> None:
    from justicework.audit.models import AuditEntry

    policy.register(AuditEntry, AuditEntryRule())
