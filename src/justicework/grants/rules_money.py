"""Policy rules for awards and their money (registered in ``GrantsConfig.ready``).

=====================  ==========  ==============================================================
object                 action      who
=====================  ==========  ==============================================================
Award, Agreement,      ``view``    programme staff (``programme.manage`` in the call's
Tranche, Payment,                  organisation); members of the grantee (``grant.apply`` in the
Reduction, Recovery                award's legal entity's organisation): their award, agreement
                                   (the PDF), tranches, payments, reductions and recoveries
                       ``manage``  programme staff: generate, send and sign the agreement, set
                                   tranches, record payments, reductions and recoveries,
                                   schedule reports
GranteeReport,         ``view``    programme staff; the grantee's members
ReportLine             ``write``   the grantee's members, while the report is due or returned
                                   (write, save, submit)
                       ``review``  programme staff, while the report is submitted (approve,
                                   return with comments)
                       ``manage``  programme staff (schedule a report, move its due date)
Organisation           ``delete_grant_records``  programme staff of the organisation (the
                                   deletions ``grants.retention`` allows)
=====================  ==========  ==============================================================

Reviewers (``review.submit``) do not review grantees' reports: an approval releases money, which
is the programme officer's decision, and the reviewer who scored an application should not sign
off the spending of the same grant. They see no award's money either. Viewers, other
organisations and anonymous visitors see nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from justicework.core import policy
from justicework.core.models import Organisation, User
from justicework.core.policy import ALLOW, Decision, deny
from justicework.core.roles import Capability
from justicework.grants.models import (
    Agreement,
    Award,
    GranteeReport,
    Payment,
    Recovery,
    Reduction,
    ReportLine,
    Tranche,
)

STAFF = Capability.PROGRAMME_MANAGE
GRANTEE = Capability.GRANT_APPLY
#: for each action, whether staff and whether the grantee's members may
MONEY_ACTIONS = {"view": (True, True), "manage": (True, False)}
REPORT_ACTIONS = {**MONEY_ACTIONS, "write": (False, True), "review": (True, False)}
DELETE_RECORDS = "delete_grant_records"
NOT_ALLOWED = _("Your role does not allow this on this award.")
OPEN = (GranteeReport.Status.DUE, GranteeReport.Status.RETURNED)


def is_staff(user: User, award: Award) -> bool:
    return policy.has_capability_in(user, STAFF, award.call.organisation_id)


def is_grantee(user: User, award: Award) -> bool:
    return policy.has_capability_in(user, GRANTEE, award.legal_entity.organisation_id)


class AwardMoneyRule:
    """Decides for :class:`Award` (``path`` ""), and for records under an award (``"award"``,
    ``"report__award"``), by the award's call organisation and legal entity."""

    def __init__(self, path: str, actions: dict[str, tuple[bool, bool]] = MONEY_ACTIONS) -> None:
        self.path = path
        self.prefix = f"{path}__" if path else ""
        self.actions = actions

    def award_of(self, obj: Any) -> Award:
        for part in self.path.split("__") if self.path else ():
            obj = getattr(obj, part)
        award: Award = obj
        return award

    def can(self, user: User, action: str, obj: Any) -> Decision:
        if action not in self.actions:
            return policy.NO_RULE
        if isinstance(obj, type):
            return deny(_("This action needs a record."))
        staff_may, grantee_may = self.actions[action]
        award = self.award_of(obj)
        if not ((staff_may and is_staff(user, award)) or (grantee_may and is_grantee(user, award))):
            return deny(NOT_ALLOWED)
        return self.state(action, obj)

    def state(self, action: str, obj: Any) -> Decision:
        return ALLOW

    def visible(self, user: User, action: str, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if action not in self.actions:
            return queryset.none()
        staff_may, grantee_may = self.actions[action]
        staff = sorted(policy.org_ids(user, STAFF)) if staff_may else []
        grantee = sorted(policy.org_ids(user, GRANTEE)) if grantee_may else []
        if not staff and not grantee:
            return queryset.none()
        where = Q(**{f"{self.prefix}call__organisation_id__in": staff}) | Q(
            **{f"{self.prefix}legal_entity__organisation_id__in": grantee}
        )
        return queryset.filter(where)


class ReportRule(AwardMoneyRule):
    """Reports: as the award, and a report is written only while due or returned, reviewed only
    while submitted."""

    def __init__(self, path: str) -> None:
        super().__init__(path, REPORT_ACTIONS)
        self.report_path = path.removesuffix("award").removesuffix("__")

    def state(self, action: str, obj: Any) -> Decision:
        report: GranteeReport = getattr(obj, self.report_path) if self.report_path else obj
        if action == "write" and report.status not in OPEN:
            return deny(_("This report was submitted; it can no longer be changed."))
        if action == "review" and report.status != GranteeReport.Status.SUBMITTED:
            return deny(_("Only a submitted report can be reviewed."))
        return ALLOW


def register() -> None:
    policy.register(Award, AwardMoneyRule(""))
    for model in (Agreement, Tranche, Payment, Reduction, Recovery):
        policy.register(model, AwardMoneyRule("award"))
    policy.register(GranteeReport, ReportRule("award"))
    policy.register(ReportLine, ReportRule("report__award"))
    policy.add_organisation_actions(Organisation, {DELETE_RECORDS: STAFF})
