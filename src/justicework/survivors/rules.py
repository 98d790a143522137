"""Policy rules for the survivors app (registered in ``SurvivorsConfig.ready``).

=====================  ===============================  ===================================
object                 action                           needs (in the owning organisation)
=====================  ===============================  ===================================
Organisation           ``manage_information_sheets``    ``survivor.support``
Organisation           ``view_survivor_files``          ``record.view``
SurvivorFile           ``open`` (asked of the unsaved   ``survivor.support`` or
                       file of a person)                ``record.create``
SurvivorFile           ``view`` (consent state,         ``record.view``
                       history without conditions)
SurvivorFile           ``record_consent`` (give,        ``survivor.support`` or
                       refuse, withdraw a use)          ``record.create``
SurvivorFile           ``view_conditions`` (the         ``survivor.support`` or
                       survivor's words, interpreter)   ``record.create``
InformationSheet       ``view``                         ``record.view``
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
}

ORGANISATION_ACTIONS: dict[str, Capability] = {
    "manage_information_sheets": C.SURVIVOR_SUPPORT,
    "view_survivor_files": C.RECORD_VIEW,
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
    from justicework.survivors import rules_support  # i13support

    rules_support.register()
