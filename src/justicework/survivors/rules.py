"""Policy rules for the survivors app (registered in ``SurvivorsConfig.ready``).

=====================  ===============================  ===================================
object                 action                           needs (in the owning organisation)
=====================  ===============================  ===================================
Organisation           ``manage_information_sheets``    ``survivor.support``
Organisation           ``view_survivor_files``          ``record.view``
Organisation           ``follow_up_survivors`` (the     ``survivor.support``
                       "not updated" link)
SurvivorFile           ``open`` (asked of the unsaved   ``survivor.support`` or
                       file of a person)                ``record.create``
SurvivorFile           ``view`` (consent state,         ``record.view``
                       history without conditions)
SurvivorFile           ``record_consent`` (give,        ``survivor.support`` or
                       refuse, withdraw a use)          ``record.create``
SurvivorFile           ``view_conditions`` (the         ``survivor.support`` or
                       survivor's words, interpreter)   ``record.create``
InformationSheet       ``view``                         ``record.view``
SurvivorFile           ``view_participation``,          ``survivor.support``,
                       ``record_participation``         ``record.create`` or ``legal.assess``
SurvivorFile           ``view_information``,            ``survivor.support`` or
                       ``record_information``           ``record.create``
SurvivorFile           ``issue_page_code``              ``survivor.support``
Organisation           ``manage_retention`` (schedules, ``org.manage``
                       review, apply)
Organisation           ``manage_survivor_page`` (the    ``org.manage``
                       organisation's switch)
Organisation           ``view_survivor_statistics``     ``record.view``
SurvivorFile           ``manage_legal_hold``            ``org.manage``
SurvivorFile           ``record_statistics``            ``survivor.support`` or
                                                        ``record.create``
=====================  ===============================  ===================================

Who records consent: the support coordinator and the documenter who takes it before an
interview (the Murad Code asks the interviewer to do so); viewers and analysts see the state
of each use, so they know why a use is refused, but not the survivor's own words.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from justicework.core import policy
from justicework.core.models import Organisation, User
from justicework.core.policy import ALLOW, NO_RULE, Decision, OrganisationOwnedRule, deny
from justicework.core.roles import Capability
from justicework.survivors.models import Consent, InformationSheet, SurvivorFile

C = Capability

#: Actions that either capability allows: the coordinator's, and the documenter's at intake.
EITHER = (C.SURVIVOR_SUPPORT, C.RECORD_CREATE)
FILE_ACTIONS: dict[str, tuple[Capability, ...]] = {
    "open": EITHER,
    "view": (C.RECORD_VIEW,),
    "record_consent": EITHER,
    "view_conditions": EITHER,
    # i13particip: participation (the lawyer's too), information given back, the survivor page
    "view_participation": (*EITHER, C.LEGAL_ASSESS),
    "record_participation": (*EITHER, C.LEGAL_ASSESS),
    "view_information": EITHER,
    "record_information": EITHER,
    "issue_page_code": (C.SURVIVOR_SUPPORT,),
    "manage_legal_hold": (C.ORG_MANAGE,),
    "record_statistics": EITHER,
}

ORGANISATION_ACTIONS: dict[str, Capability] = {
    "manage_information_sheets": C.SURVIVOR_SUPPORT,
    "view_survivor_files": C.RECORD_VIEW,
    "follow_up_survivors": C.SURVIVOR_SUPPORT,
    "view_interview_report": C.SURVIVOR_SUPPORT,
    "manage_retention": C.ORG_MANAGE,
    "manage_survivor_page": C.ORG_MANAGE,
    "view_survivor_statistics": C.RECORD_VIEW,
}


def _orgs(user: User, capabilities: tuple[Capability, ...]) -> set[int]:
    found: set[int] = set()
    for capability in capabilities:
        found |= policy.org_ids(user, capability)
    return found


class FileRule:
    """A survivor file (and its consents, through ``path``): the action's capabilities, any
    one of them, held in the owning organisation."""

    def __init__(self, path: str = "organisation_id") -> None:
        self.path = path

    def can(self, user: User, action: str, obj: Any) -> Decision:
        capabilities = FILE_ACTIONS.get(action)
        if capabilities is None:
            return NO_RULE
        if isinstance(obj, type):
            return deny(_("This action needs a record."))
        org_id = obj.organisation_id
        if org_id in _orgs(user, capabilities):
            return ALLOW
        return deny(_("Your role in the owning organisation does not allow this."))

    def visible(self, user: User, action: str, queryset: QuerySet[Any]) -> QuerySet[Any]:
        capabilities = FILE_ACTIONS.get(action)
        if capabilities is None:
            return queryset.none()
        return queryset.filter(**{f"{self.path}__in": sorted(_orgs(user, capabilities))})


def register() -> None:
    policy.register(SurvivorFile, FileRule())
    policy.register(Consent, FileRule())
    policy.register(InformationSheet, OrganisationOwnedRule({"view": C.RECORD_VIEW}))
    policy.add_organisation_actions(Organisation, ORGANISATION_ACTIONS)


#: Safety and interviews (steps 2 and 3): the survivor's safety plan and their words are for
#: those who work with them (the coordinator, the documenter who interviews), not viewers.
SAFETY_FILE_ACTIONS: dict[str, tuple[Capability, ...]] = {
    "view_safety": EITHER,
    "record_safety": EITHER,
    "view_interviews": EITHER,
    "record_interview": EITHER,
}
FILE_ACTIONS.update(SAFETY_FILE_ACTIONS)


class OwnedByFileRule(FileRule):
    """A record of a survivor file (an assessment, an interview): ``view`` and ``record``
    need either capability in the owning organisation."""

    ACTIONS: dict[str, tuple[Capability, ...]] = {"view": EITHER, "record": EITHER}

    def can(self, user: User, action: str, obj: Any) -> Decision:
        capabilities = self.ACTIONS.get(action)
        if capabilities is None:
            return NO_RULE
        if isinstance(obj, type):
            return deny(_("This action needs a record."))
        if obj.organisation_id in _orgs(user, capabilities):
            return ALLOW
        return deny(_("Your role in the owning organisation does not allow this."))

    def visible(self, user: User, action: str, queryset: QuerySet[Any]) -> QuerySet[Any]:
        capabilities = self.ACTIONS.get(action)
        if capabilities is None:
            return queryset.none()
        return queryset.filter(organisation_id__in=sorted(_orgs(user, capabilities)))


def register_safety() -> None:
    from justicework.survivors.models import SafetyAssessment

    policy.register(SafetyAssessment, OwnedByFileRule())


def supporting_orgs(user: User) -> set[int]:
    """The organisations where ``user`` works with survivors (either capability)."""
    return _orgs(user, EITHER)


def register_interviews() -> None:
    from justicework.survivors.models import Interview

    policy.register(Interview, OwnedByFileRule())


# --- Support (i13support) ----------------------------------------------------------------------
# Policy rules for support (registered by ``SurvivorsConfig.ready``).
#
# =====================  ===============================  ===================================
# object                 action                           needs
# =====================  ===============================  ===================================
# Organisation           ``manage_providers``             ``survivor.support`` in it
# ServiceProvider        ``view``                         ``record.view`` or ``survivor.support``
#                                                         in the owner; any active membership
#                                                         when the provider is shared
# ServiceProvider        ``manage`` (edit)                ``survivor.support`` in the owner
# Referral, SupportPlan  ``view``, ``manage``             ``survivor.support`` in the owner
# SupportAction
# =====================  ===============================  ===================================
#
# Referrals and plans are need-to-know: a viewer or documenter sees that a person has a survivor
# file and its consent, not where the survivor is being helped.

from django.db.models import Q  # noqa: E402

from justicework.survivors.models import (  # noqa: E402
    Referral,
    ServiceProvider,
    SupportAction,
    SupportPlan,
)

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


def register_support() -> None:
    policy.register(ServiceProvider, ProviderRule())
    for model in (Referral, SupportPlan, SupportAction):
        policy.register(model, OrganisationOwnedRule(SUPPORT_ONLY))
    policy.add_organisation_actions(Organisation, {"manage_providers": C.SURVIVOR_SUPPORT})
