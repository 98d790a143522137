"""Policy rules for support (registered from ``rules.register``).

=====================  ===============================  ===================================
object                 action                           needs
=====================  ===============================  ===================================
Organisation           ``manage_providers``             ``survivor.support`` in it
ServiceProvider        ``view``                         ``record.view`` or ``survivor.support``
                                                        in the owner; any active membership
                                                        when the provider is shared
ServiceProvider        ``manage`` (edit)                ``survivor.support`` in the owner
Referral, SupportPlan  ``view``, ``manage``             ``survivor.support`` in the owner
SupportAction
=====================  ===============================  ===================================

Referrals and plans are need-to-know: a viewer or documenter sees that a person has a survivor
file and its consent, not where the survivor is being helped.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from justicework.core import policy
from justicework.core.models import Organisation, User
from justicework.core.policy import ALLOW, NO_RULE, Decision, OrganisationOwnedRule, deny
from justicework.core.roles import Capability
from justicework.survivors.models import Referral, ServiceProvider, SupportAction, SupportPlan

C = Capability
SUPPORT_ONLY = {"view": C.SURVIVOR_SUPPORT, "manage": C.SURVIVOR_SUPPORT}


def _viewer_orgs(user: User) -> set[int]:
    return policy.org_ids(user, C.RECORD_VIEW) | policy.org_ids(user, C.SURVIVOR_SUPPORT)


class ProviderRule:
    """Providers are not survivor data: the owner's members see them, the coalition too when
    the owner shares one; only the owner's support coordinators change them."""

    def can(self, user: User, action: str, obj: Any) -> Decision:
        if action not in {"view", "manage"}:
            return NO_RULE
        if isinstance(obj, type):
            return deny(_("This action needs a record."))
        if action == "manage":
            if policy.has_capability_in(user, C.SURVIVOR_SUPPORT, obj.organisation_id):
                return ALLOW
            return deny(_("Only the owning organisation's support coordinators change this."))
        if obj.organisation_id in _viewer_orgs(user) or (obj.shared and user.active_memberships()):
            return ALLOW
        return deny(_("This provider is not shared with your organisation."))

    def visible(self, user: User, action: str, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if action == "manage":
            ids = policy.org_ids(user, C.SURVIVOR_SUPPORT)
            return queryset.filter(organisation_id__in=sorted(ids))
        if action != "view":
            return queryset.none()
        own = Q(organisation_id__in=sorted(_viewer_orgs(user)))
        return (
            queryset.filter(own | Q(shared=True)) if user.active_memberships() else queryset.none()
        )


def register() -> None:
    policy.register(ServiceProvider, ProviderRule())
    for model in (Referral, SupportPlan, SupportAction):
        policy.register(model, OrganisationOwnedRule(SUPPORT_ONLY))
    policy.add_organisation_actions(Organisation, {"manage_providers": C.SURVIVOR_SUPPORT})
