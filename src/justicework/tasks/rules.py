"""Who sees a progress record: the person who started the work, the admins of its
organisation, and platform superusers (system jobs have neither owner nor organisation)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from justicework.core import policy
from justicework.core.policy import ALLOW, Decision, deny
from justicework.core.roles import Capability

if TYPE_CHECKING:
    from justicework.core.models import User


class ProgressRule:
    def can(self, user: User, action: str, obj: Any) -> Decision:
        if action != "view" or isinstance(obj, type):
            return policy.NO_RULE
        if user.is_superuser or (obj.owner_id is not None and obj.owner_id == user.pk):
            return ALLOW
        if policy.has_capability_in(user, Capability.ORG_MANAGE, obj.organisation_id):
            return ALLOW
        return deny(_("Only the person who started this work and their admins follow it."))

    def visible(self, user: User, action: str, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if action != "view":
            return queryset.none()
        if user.is_superuser:
            return queryset
        admin_of = sorted(policy.org_ids(user, Capability.ORG_MANAGE))
        return queryset.filter(Q(owner_id=user.pk) | Q(organisation_id__in=admin_of))


def register() -> None:
    from justicework.tasks.models import Progress

    policy.register(Progress, ProgressRule())
