"""Policy rules for the violations app (registered in ``ViolationsConfig.ready``).

Policy action names (``policy.can(user, action, obj)``; capabilities are held in the record's
owning organisation):

=========================  =========================================  ===========================
object                     action                                     needs
=========================  =========================================  ===========================
Organisation               ``create_incident``, ``create_person``,    ``record.create``
                           ``create_unit``, ``create_source``,
                           ``create_victim_group``,
                           ``bulk_create_violations``
Organisation               ``find_duplicates``                        ``record.edit``
Organisation               ``reindex_persons`` (rebuild blind         ``org.manage``
                           indexes)
Organisation               ``verify_records`` (create as verified)    ``record.verify``
Organisation               ``view_records`` (lists, cards, links)     ``record.view``
Incident                   ``view``                                   ``record.view`` (+ access)
Incident                   ``change`` (edit, locations, violations,   ``record.edit`` (+ access)
                           relations, status draft/documented)
Incident                   ``verify`` (status → verified, or back)    ``record.verify`` (+ access)
Incident                   ``delete`` (drafts only)                   ``record.delete`` (+ access)
Incident                   ``grant_access`` (restricted incidents)    ``identity.grant``
Violation, Location,       ``view`` / ``change`` / ``delete``         ``record.view`` /
PersonRole, Perpetration,                                             ``record.edit`` /
IncidentRelation                                                      ``record.edit`` (+ access
                                                                      to the incident)
Person                     ``view`` (pseudonymised: code, status)     ``record.view``
Person                     ``change`` (status, links)                 ``record.edit``
Person                     ``reveal_identity``                        ``identity.reveal`` AND a
                                                                      current need-to-know grant
Person                     ``change_identity`` (any identity field)   ``record.edit`` AND
                                                                      ``identity.reveal`` AND a
                                                                      current need-to-know grant
Person                     ``grant_need_to_know``                     ``identity.grant``
Person                     ``request_identity_access``                ``identity.reveal`` and no
                                                                      current grant
Organisation               ``decide_identity_requests`` (the queue)   ``identity.requests``
Organisation               ``grant_need_to_know_set`` (many persons)  ``identity.grant``
IdentityAccessRequest      ``view``                                   the requester, or
                                                                      ``identity.requests``
IdentityAccessRequest      ``decide``                                 ``identity.requests``, not
                                                                      on one's own request
VictimGroup, Unit,         ``view`` / ``change`` / ``delete``         ``record.view`` /
UnitCommander, Source,                                                ``record.edit`` /
UnitSubordination                                                     ``record.delete``
=========================  =========================================  ===========================

"+ access": a **restricted** incident (and everything recorded under it) is visible only to
the owning organisation's admins (``org.manage``), to its creator, and to users holding a
current ``AccessGrant`` (capability ``record.view``, object ``violations.incident:<pk>``).
Platform superusers get no special access to records: they use the Django admin.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.core import policy
from justicework.core.models import AccessGrant, Membership, Organisation, User
from justicework.core.policy import ALLOW, Decision, OrganisationOwnedRule, deny
from justicework.core.roles import Capability, roles_with
from justicework.violations.models import (
    IdentityAccessRequest,
    Incident,
    IncidentRelation,
    Location,
    Perpetration,
    Person,
    PersonRole,
    Source,
    Unit,
    UnitCommander,
    UnitSubordination,
    VictimGroup,
    Violation,
)

C = Capability
INCIDENT_TYPE = "violations.incident"
PERSON_TYPE = "violations.person"

#: Actions on an Organisation that this app answers (``can(user, "create_incident", org)``).
ORGANISATION_ACTIONS: dict[str, Capability] = {
    "create_incident": C.RECORD_CREATE,
    "create_person": C.RECORD_CREATE,
    "create_unit": C.RECORD_CREATE,
    "create_source": C.RECORD_CREATE,
    "create_victim_group": C.RECORD_CREATE,
    "bulk_create_violations": C.RECORD_CREATE,
    "update_imported_rows": C.RECORD_EDIT,
    "find_duplicates": C.RECORD_EDIT,
    "reindex_persons": C.ORG_MANAGE,
    "decide_identity_requests": C.IDENTITY_REQUESTS,
    "grant_need_to_know_set": C.IDENTITY_GRANT,
    "verify_records": C.RECORD_VERIFY,
    "view_records": C.RECORD_VIEW,
}

RESTRICTED = _("This incident is restricted: it needs a need-to-know grant.")


# --- Restricted incidents --------------------------------------------------------------------


def granted_incident_ids(user: User) -> list[int]:
    """Incidents ``user`` holds a current ``record.view`` grant for (one query, cached on the
    user object for the request)."""
    cached: list[int] | None = getattr(user, "_violations_incident_grants", None)
    if cached is not None:
        return cached
    now = timezone.now()
    raw = AccessGrant.objects.filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now),
        user=user,
        capability=C.RECORD_VIEW,
        object_type=INCIDENT_TYPE,
        revoked_at__isnull=True,
    ).values_list("object_id", flat=True)
    ids = sorted({int(value) for value in raw if value.isdigit()})
    user.__dict__["_violations_incident_grants"] = ids  # forgotten by forget_grants
    return ids


def forget_grants(user: User) -> None:
    """Drop the per-object grant cache (after granting or revoking in the same request)."""
    user.__dict__.pop("_violations_incident_grants", None)


def may_open_incident(user: User, incident: Incident) -> bool:
    """Sensitivity check only (the capability check is the rule's)."""
    if not incident.is_restricted:
        return True
    if policy.has_capability_in(user, C.ORG_MANAGE, incident.organisation_id):
        return True
    if incident.created_by_id is not None and incident.created_by_id == user.pk:
        return True
    return incident.pk in granted_incident_ids(user)


def members_who_may_reveal(memberships: QuerySet[Membership]) -> QuerySet[Membership]:
    """Those of ``memberships`` (active users) whose role reveals identities: the people a
    need-to-know grant can be given to."""
    return memberships.filter(role__in=roles_with(C.IDENTITY_REVEAL), user__is_active=True)


def may_hold_identity_grant(user: User, organisation_id: int) -> bool:
    """Does ``user``'s role in the organisation open identities (so a grant would serve)?"""
    return policy.has_capability_in(user, C.IDENTITY_REVEAL, organisation_id)


def identity_deciders(organisation_id: int) -> QuerySet[Membership]:
    """The members (active users) who decide requests for need-to-know."""
    return Membership.objects.filter(
        organisation_id=organisation_id,
        role__in=roles_with(C.IDENTITY_REQUESTS),
        user__is_active=True,
    )


def identity_granters(organisation: Organisation) -> QuerySet[Membership]:
    """The members (active users) of ``organisation`` who grant need-to-know on identities."""
    return Membership.objects.filter(
        organisation=organisation, role__in=roles_with(C.IDENTITY_GRANT), user__is_active=True
    )


def _incident_q(user: User, prefix: str) -> Q:
    """Rows whose incident (``prefix`` = "" or "incident__") the user may open."""
    admin_orgs = sorted(policy.org_ids(user, C.ORG_MANAGE))
    pk_field = f"{prefix}pk" if prefix else "pk"
    return (
        Q(**{f"{prefix}sensitivity": Incident.Sensitivity.NORMAL})
        | Q(**{f"{prefix}organisation_id__in": admin_orgs})
        | Q(**{f"{prefix}created_by_id": user.pk})
        | Q(**{f"{pk_field}__in": granted_incident_ids(user)})
    )


def _incident_extra(user: User, action: str, obj: Incident) -> Decision:
    if action == "grant_access":
        return ALLOW
    if not may_open_incident(user, obj):
        return deny(RESTRICTED)
    if action == "delete" and obj.status != Incident.Status.DRAFT:
        return deny(_("Only draft incidents can be deleted."))
    return ALLOW


def _child_extra(path: str) -> Any:
    def extra(user: User, action: str, obj: Any) -> Decision:
        incident = obj
        for part in path.split("__"):
            incident = getattr(incident, part)
        if not may_open_incident(user, incident):
            return deny(RESTRICTED)
        return ALLOW

    return extra


def _child_q(prefix: str) -> Any:
    def extra_q(user: User, action: str) -> Q:
        return _incident_q(user, prefix)

    return extra_q


# --- Persons -----------------------------------------------------------------------------------


def _person_extra(user: User, action: str, obj: Person) -> Decision:
    if action == "request_identity_access" and policy.has_grant(user, C.IDENTITY_REVEAL, obj):
        return deny(_("You already hold need-to-know on this identity."))
    if action == "reveal_identity" and not policy.has_grant(user, C.IDENTITY_REVEAL, obj):
        return deny(_("Opening this identity needs a current need-to-know grant."))
    if action == "change_identity":
        # Writing an identity needs what reading it needs (you cannot correct what you may not
        # see), and the right to edit records.
        if not policy.has_capability_in(user, C.RECORD_EDIT, obj.organisation_id):
            return deny(_("Your role in the owning organisation does not allow this."))
        if not policy.has_grant(user, C.IDENTITY_REVEAL, obj):
            return deny(_("Changing this identity needs a current need-to-know grant."))
    return ALLOW


def _person_q(user: User, action: str) -> Q:
    if action == "change_identity":
        edit_orgs = sorted(policy.org_ids(user, C.RECORD_EDIT))
        return _person_q(user, "reveal_identity") & Q(organisation_id__in=edit_orgs)
    if action != "reveal_identity":
        return Q()
    now = timezone.now()
    raw = AccessGrant.objects.filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now),
        user=user,
        capability=C.IDENTITY_REVEAL,
        object_type=PERSON_TYPE,
        revoked_at__isnull=True,
    ).values_list("object_id", flat=True)
    return Q(pk__in=sorted({int(v) for v in raw if v.isdigit()}))


RECORD_ACTIONS = {"view": C.RECORD_VIEW, "change": C.RECORD_EDIT, "delete": C.RECORD_DELETE}
CHILD_ACTIONS = {"view": C.RECORD_VIEW, "change": C.RECORD_EDIT, "delete": C.RECORD_EDIT}


def rules() -> dict[type[Model], policy.Rule]:
    return {
        Incident: OrganisationOwnedRule(
            {
                "view": C.RECORD_VIEW,
                "change": C.RECORD_EDIT,
                "verify": C.RECORD_VERIFY,
                "delete": C.RECORD_DELETE,
                "grant_access": C.IDENTITY_GRANT,
            },
            extra=_incident_extra,
            extra_q=lambda user, action: Q() if action == "grant_access" else _incident_q(user, ""),
        ),
        Violation: OrganisationOwnedRule(
            CHILD_ACTIONS, extra=_child_extra("incident"), extra_q=_child_q("incident__")
        ),
        Location: OrganisationOwnedRule(
            CHILD_ACTIONS, extra=_child_extra("incident"), extra_q=_child_q("incident__")
        ),
        IncidentRelation: OrganisationOwnedRule(
            CHILD_ACTIONS,
            extra=_child_extra("from_incident"),
            extra_q=_child_q("from_incident__"),
        ),
        PersonRole: OrganisationOwnedRule(
            CHILD_ACTIONS,
            extra=_child_extra("violation__incident"),
            extra_q=_child_q("violation__incident__"),
        ),
        Perpetration: OrganisationOwnedRule(
            CHILD_ACTIONS,
            extra=_child_extra("violation__incident"),
            extra_q=_child_q("violation__incident__"),
        ),
        Person: OrganisationOwnedRule(
            {
                "view": C.RECORD_VIEW,
                "change": C.RECORD_EDIT,
                "reveal_identity": C.IDENTITY_REVEAL,
                "change_identity": C.IDENTITY_REVEAL,
                "grant_need_to_know": C.IDENTITY_GRANT,
                "request_identity_access": C.IDENTITY_REVEAL,
            },
            extra=_person_extra,
            extra_q=_person_q,
        ),
        VictimGroup: OrganisationOwnedRule(RECORD_ACTIONS),
        Unit: OrganisationOwnedRule(RECORD_ACTIONS),
        UnitCommander: OrganisationOwnedRule(CHILD_ACTIONS),
        UnitSubordination: OrganisationOwnedRule(CHILD_ACTIONS),
        Source: OrganisationOwnedRule(RECORD_ACTIONS),
    }


class IdentityAccessRequestRule:
    """The requester sees their own requests; the organisation's deciders
    (``identity.requests``) see and decide them, but never their own."""

    def can(self, user: User, action: str, obj: Any) -> Decision:
        if isinstance(obj, type) or action not in {"view", "decide"}:
            return policy.NO_RULE
        decider = policy.has_capability_in(user, C.IDENTITY_REQUESTS, obj.organisation_id)
        if action == "view" and (obj.requester_id == user.pk or decider):
            return ALLOW
        if action == "decide" and decider:
            if obj.requester_id == user.pk:
                return deny(_("You cannot decide your own request."))
            return ALLOW
        return deny(_("Only the organisation's admins and support coordinators decide these."))

    def visible(self, user: User, action: str, queryset: QuerySet[Any]) -> QuerySet[Any]:
        orgs = sorted(policy.org_ids(user, C.IDENTITY_REQUESTS))
        if action == "view":
            return queryset.filter(Q(requester_id=user.pk) | Q(organisation_id__in=orgs))
        if action == "decide":
            return queryset.filter(organisation_id__in=orgs).exclude(requester_id=user.pk)
        return queryset.none()


def register() -> None:
    for model, rule in rules().items():
        policy.register(model, rule)
    policy.register(IdentityAccessRequest, IdentityAccessRequestRule())
    policy.add_organisation_actions(Organisation, ORGANISATION_ACTIONS)
