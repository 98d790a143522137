"""An award with its money for the security probe (``tests/security/beacon.py``): made by the
system through the actions, in the given (programme) organisation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from justicework.core.models import Organisation
from justicework.grants import actions_money as money
from justicework.grants import actions_money_reports as reports
from justicework.grants.models import Programme
from tests.grants.conftest import make_applicant, make_call
from tests.grants.money.conftest import make_award


def award_with_money(org: Organisation, purpose: str, narrative: str) -> dict[str, Any]:
    programme = Programme.objects.create(organisation=org, name="Beacon fund", currency="EUR")
    grantee = make_applicant("Goma Women's Network", country="CD")
    award = make_award(make_call(programme, countries=["CD"]), grantee.entity)
    award.purpose = purpose
    award.save(update_fields=["purpose"])
    money.generate_agreement(None, award)
    report = reports.schedule_report(
        None,
        award,
        kind="narrative",
        title="Q1",
        due_on=timezone.localdate() + dt.timedelta(days=9),
    )
    reports.save_report(grantee.user, report, narrative=narrative)
    tranche = money.add_tranche(None, award, amount="1000", condition="signature")
    return {
        "award": award,
        "grantee_report": report,
        "tranche": tranche,
        "budget_line": award.application.budget_lines.first(),
        "grantee_user": grantee.user,
    }
