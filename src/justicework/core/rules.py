"""Policy rules for the core models (registered in ``CoreConfig.ready``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from justicework.core import policy
from justicework.core.models import AccessGrant, ApiToken, Membership, Organisation, User
from justicework.core.policy import ALLOW, Decision, deny
from justicework.core.roles import Capability

#: Action on one organisation -> (capability held in it, platform superusers too, refusal).
ON_ORGANISATION: dict[str, tuple[Capability, bool, Promise]] = {
    "track_work": (Capability.ORG_VIEW, True, _("You are not a member of this organisation.")),
    "view_members": (
        Capability.ORG_VIEW,
        True,
        _("Only members of this organisation see its members."),
    ),
    "manage": (Capability.ORG_MANAGE, True, _("Only this organisation's admins manage it.")),
    "manage_members": (
        Capability.ORG_MANAGE,
        True,
        _("Only this organisation's admins manage it."),
    ),
    "view_audit": (
        Capability.AUDIT_VIEW,
        False,
        _("Only this organisation's admins read its audit log."),
    ),
}


class OrganisationRule:
    """Coalition members see the directory of organisations; members see their own
    organisation's members; admins manage; only platform superusers create organisations.

    On the class: ``create``, ``view_directory`` (the list of organisations and its link). On an
    organisation: ``view``, ``view_members``, ``manage``, ``manage_members``, ``view_audit``
    (read its audit log) and ``track_work`` (attach a progress record to it: members and
    platform superusers)."""

    def can(self, user: User, action: str, obj: Any) -> Decision:
        if action == "create":
            return (
                ALLOW
                if user.is_superuser
                else deny(_("Only platform administrators create organisations."))
            )
        if action == "view_directory" or (action == "view" and not isinstance(obj, type)):
            return self._directory(user)
        if isinstance(obj, type) or action not in ON_ORGANISATION:
            return policy.NO_RULE
        capability, superusers_too, refusal = ON_ORGANISATION[action]
        if superusers_too and user.is_superuser:
            return ALLOW
        if policy.has_capability_in(user, capability, obj.pk):
            return ALLOW
        return deny(refusal)

    @staticmethod
    def _directory(user: User) -> Decision:
        if user.is_superuser or user.active_memberships():
            return ALLOW
        return deny(_("You are not a member of any organisation."))

    def visible(self, user: User, action: str, queryset: QuerySet[Any]) -> QuerySet[Any]:
        queryset = queryset.filter(is_active=True) if not user.is_superuser else queryset
        if action == "view":
            return queryset if (user.is_superuser or user.active_memberships()) else queryset.none()
        if user.is_superuser and action in {"view_members", "manage", "manage_members"}:
            return queryset
        capability = {
            "view_members": Capability.ORG_VIEW,
            "manage": Capability.ORG_MANAGE,
            "manage_members": Capability.ORG_MANAGE,
            "view_audit": Capability.AUDIT_VIEW,
        }.get(action)
        if capability is None:
            return queryset.none()
        return queryset.filter(pk__in=sorted(policy.org_ids(user, capability)))


class MembershipRule:
    def can(self, user: User, action: str, obj: Any) -> Decision:
        if isinstance(obj, type):
            return policy.NO_RULE
        if action == "view":
            if (
                user.is_superuser
                or obj.user_id == user.pk
                or policy.has_capability_in(user, Capability.ORG_VIEW, obj.organisation_id)
            ):
                return ALLOW
            return deny(_("Only members of this organisation see its members."))
        if action == "manage":
            if user.is_superuser or policy.has_capability_in(
                user, Capability.ORG_MANAGE, obj.organisation_id
            ):
                return ALLOW
            return deny(_("Only this organisation's admins change memberships."))
        return policy.NO_RULE

    def visible(self, user: User, action: str, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if action not in {"view", "manage"}:
            return queryset.none()  # as ``can``: an action no rule names is denied
        if user.is_superuser:
            return queryset
        if action == "view":
            orgs = policy.org_ids(user, Capability.ORG_VIEW)
            return queryset.filter(Q(organisation_id__in=sorted(orgs)) | Q(user_id=user.pk))
        return queryset.filter(
            organisation_id__in=sorted(policy.org_ids(user, Capability.ORG_MANAGE))
        )


class UserRule:
    """A user sees themself and the members of organisations they belong to; only platform
    superusers see every account (``view_all`` on the class) and use the Django admin
    (``use_admin`` on the class)."""

    def can(self, user: User, action: str, obj: Any) -> Decision:
        if action in {"view_all", "use_admin"} and isinstance(obj, type):
            if user.is_superuser:
                return ALLOW
            return deny(_("Only platform administrators do this."))
        if isinstance(obj, type):
            return policy.NO_RULE
        if action == "view":
            if user.is_superuser or obj.pk == user.pk:
                return ALLOW
            shared = Membership.objects.filter(
                user=obj, organisation_id__in=sorted(policy.org_ids(user, Capability.ORG_VIEW))
            ).exists()
            return ALLOW if shared else deny(_("You do not share an organisation."))
        if action == "manage_self":
            return ALLOW if obj.pk == user.pk else deny(_("You can only change your own account."))
        return policy.NO_RULE

    def visible(self, user: User, action: str, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if action != "view":
            return queryset.filter(pk=user.pk) if action == "manage_self" else queryset.none()
        if user.is_superuser:
            return queryset
        orgs = sorted(policy.org_ids(user, Capability.ORG_VIEW))
        return queryset.filter(Q(pk=user.pk) | Q(memberships__organisation_id__in=orgs)).distinct()


class AccessGrantRule:
    def can(self, user: User, action: str, obj: Any) -> Decision:
        if isinstance(obj, type):
            return policy.NO_RULE
        if action == "view" and obj.user_id == user.pk:
            return ALLOW
        if action in {"view", "revoke"} and policy.has_capability_in(
            user, Capability.IDENTITY_GRANT, obj.organisation_id
        ):
            return ALLOW
        return deny(_("Only admins of the organisation manage need-to-know grants."))

    def visible(self, user: User, action: str, queryset: QuerySet[Any]) -> QuerySet[Any]:
        orgs = sorted(policy.org_ids(user, Capability.IDENTITY_GRANT))
        if action == "view":
            return queryset.filter(Q(user_id=user.pk) | Q(organisation_id__in=orgs))
        if action == "revoke":
            return queryset.filter(organisation_id__in=orgs)
        return queryset.none()


class ApiTokenRule:
    """A user sees, creates and revokes only their own tokens; nobody else does, not even a
    platform superuser (they can revoke by deactivating the user)."""

    def can(self, user: User, action: str, obj: Any) -> Decision:
        if action == "create":
            if isinstance(obj, type) and user.is_active:
                return ALLOW
            return deny(_("Only active users create API tokens."))
        if isinstance(obj, type):
            return policy.NO_RULE
        if action in {"view", "revoke"}:
            return ALLOW if obj.user_id == user.pk else deny(_("This is not your token."))
        return policy.NO_RULE

    def visible(self, user: User, action: str, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if action in {"view", "revoke"}:
            return queryset.filter(user_id=user.pk)
        return queryset.none()


def register() -> None:
    policy.register(Organisation, OrganisationRule())
    policy.register(Membership, MembershipRule())
    policy.register(User, UserRule())
    policy.register(AccessGrant, AccessGrantRule())
    policy.register(ApiToken, ApiTokenRule())
