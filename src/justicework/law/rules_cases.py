"""Policy rules for case files, charges and matrix entries (registered in ``LawConfig.ready``).

==============  ===================================  ==========================================
object          action                               needs (in the case's organisation)
==============  ===================================  ==========================================
Organisation    ``create_case_file``                 ``legal.assess`` or ``org.manage``
CaseFile        ``view`` (case page, matrix, gaps)   ``record.view``; restricted: also on the
                                                     team, or ``org.manage``
CaseFile        ``change`` (details, team, links,    ``legal.assess`` or ``org.manage``;
                charges, matrix entries)             restricted: also on the team, or
                                                     ``org.manage``
CaseFile        ``export`` (the matrix as XLSX)      ``data.export`` and ``record.view``;
                                                     restricted: as ``view``
Charge,         ``view`` / ``change``                the same action on their case
MatrixEntry
==============  ===================================  ==========================================

A **restricted** case is need-to-know: its team and the organisation's admins see it, nobody
else, whatever their role (admins manage the team, so they must see whom it holds). A documenter
and a viewer see an unrestricted case (the documenters act on its "what is missing" list) but
never change it. The records a case links to are shown through their own rules: a person,
an incident or an evidence item the reader may not see stays hidden on the case's pages.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from justicework.core import policy
from justicework.core.models import Organisation, User
from justicework.core.policy import ALLOW, Decision, deny
from justicework.core.roles import Capability
from justicework.law.models import CaseFile, Charge, MatrixEntry

C = Capability
#: each action: the capabilities of which one is needed in the case's organisation
CASE_ACTIONS: dict[str, tuple[Capability, ...]] = {
    "view": (C.RECORD_VIEW,),
    "change": (C.LEGAL_ASSESS, C.ORG_MANAGE),
    "export": (C.EXPORT,),
}
CREATE_ACTION = "create_case_file"
RESTRICTED = _("This case file is restricted to its team.")
NOT_ALLOWED = _("Your role in the owning organisation does not allow this.")


def _orgs(user: User, action: str) -> set[int]:
    found: set[int] = set()
    for capability in CASE_ACTIONS.get(action, ()):
        found |= policy.org_ids(user, capability)
    if action == "export":  # exporting what one may not read is no export
        found &= policy.org_ids(user, C.RECORD_VIEW)
    return found


def _team_q(user: User, prefix: str) -> Q:
    """Unrestricted cases, cases ``user`` is on the team of, cases of their admin orgs."""
    admin_orgs = sorted(policy.org_ids(user, C.ORG_MANAGE))
    return (
        Q(**{f"{prefix}restricted": False})
        | Q(**{f"{prefix}team": user.pk})
        | Q(**{f"{prefix}organisation_id__in": admin_orgs})
    )


def may_open(user: User, case: CaseFile) -> bool:
    """The restriction only (the capability is checked by the rule)."""
    if not case.restricted or policy.has_capability_in(user, C.ORG_MANAGE, case.organisation_id):
        return True
    return case.team.filter(pk=user.pk).exists()


class CaseRule:
    """Decides for :class:`CaseFile` (``prefix`` ""), and for rows under a case (``"case__"``,
    ``"charge__case__"``), by the case."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.prefix = f"{path}__" if path else ""

    def _case(self, obj: Any) -> CaseFile:
        for part in self.path.split("__") if self.path else ():
            obj = getattr(obj, part)
        case: CaseFile = obj
        return case

    def can(self, user: User, action: str, obj: Any) -> Decision:
        if action not in CASE_ACTIONS:
            return policy.NO_RULE
        if isinstance(obj, type):
            return deny(_("This action needs a record."))
        case = self._case(obj)
        if case.organisation_id not in _orgs(user, action):
            return deny(NOT_ALLOWED)
        if not may_open(user, case):
            return deny(RESTRICTED)
        return ALLOW

    def visible(self, user: User, action: str, queryset: QuerySet[Any]) -> QuerySet[Any]:
        orgs = _orgs(user, action)
        if not orgs:
            return queryset.none()
        # The team join may repeat a row: narrow by ids so the queryset stays composable.
        cases = CaseFile.objects.filter(_team_q(user, ""), organisation_id__in=sorted(orgs)).values(
            "pk"
        )
        return queryset.filter(**{f"{self.prefix}pk__in" if self.prefix else "pk__in": cases})


class CreateCaseRule:
    """``create_case_file`` on an Organisation (legal analysts and admins); other questions go
    to the rule already registered for ``Organisation``."""

    def __init__(self, base: policy.Rule | None) -> None:
        self.base = base

    def can(self, user: User, action: str, obj: Any) -> Decision:
        if action != CREATE_ACTION:
            return self.base.can(user, action, obj) if self.base else policy.NO_RULE
        if isinstance(obj, type) or not obj.is_active:
            return deny(_("This action needs an active organisation."))
        if obj.pk in _orgs(user, "change"):
            return ALLOW
        return deny(_("Only legal analysts and admins open case files."))

    def visible(self, user: User, action: str, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if action != CREATE_ACTION:
            return self.base.visible(user, action, queryset) if self.base else queryset.none()
        return queryset.filter(is_active=True, pk__in=sorted(_orgs(user, "change")))


def register() -> None:
    policy.register(CaseFile, CaseRule(""))
    policy.register(Charge, CaseRule("case"))
    policy.register(MatrixEntry, CaseRule("charge__case"))
    # Beneath the organisation-actions rule other apps extend (it stays outermost, so
    # ``add_organisation_actions`` keeps extending it and its one-capability fast path holds).
    current = policy.rule_for(Organisation)
    if isinstance(current, policy.OrganisationActionsRule):
        if not isinstance(current.base, CreateCaseRule):
            current.base = CreateCaseRule(current.base)
    elif not isinstance(current, CreateCaseRule):
        policy.register(Organisation, CreateCaseRule(current))
