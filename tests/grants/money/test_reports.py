"""Grantees' reports: written by the grantee's members (spending per budget line, results as
structured values), submitted, approved by programme staff (which makes the tranche tied to the
report due) or returned with comments; reminders of due reports, once per due date."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from justicework.audit.models import AuditEntry
from justicework.core.models import User
from justicework.grants import actions_money as money
from justicework.grants import actions_money_reports as actions
from justicework.grants import reminders, results
from justicework.grants.models import Award, GranteeReport, ReportReminder

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
RESULTS = [
    {"indicator": "people_trained", "value": 42, "unit": "people",
     "disaggregation": {"sex": "female", "age": "18-29"}},
    {"indicator": "people_trained", "value": "12.5", "unit": "people",
     "disaggregation": {"sex": "male"}},
]  # fmt: skip


def _report(officer: User, award: Award, kind: str = "financial", days: int = 30) -> GranteeReport:
    return actions.schedule_report(
        officer, award, kind=kind, title="First half", due_on=TODAY() + dt.timedelta(days=days)
    )


def _lines(award: Award) -> dict[int, tuple[str, str]]:
    first, second = award.application.budget_lines.order_by("order")
    return {first.pk: ("12000.50", ""), second.pk: ("0", "Postponed to spring")}


def test_grantee_writes_and_submits_officer_approves_and_the_tranche_is_due(
    officer: User, award: Award, applicant: SimpleNamespace
) -> None:
    report = _report(officer, award)
    tranche = money.add_tranche(officer, award, amount="16000", condition="report", report=report)
    actions.save_report(applicant.user, report, narrative="We trained 54 people.",
                        lines=_lines(award), results=RESULTS)  # fmt: skip
    actions.submit_report(applicant.user, report)
    with pytest.raises(PermissionDenied, match="can no longer be changed"):
        actions.save_report(applicant.user, report, narrative="changed")
    assert actions.approve_report(officer, report, "Thank you.") == [tranche.order]
    tranche.refresh_from_db(), report.refresh_from_db()
    assert (tranche.status, tranche.due_date) == ("due", TODAY())
    assert (report.status, report.review_comment) == ("approved", "Thank you.")
    assert report.results[0] == {
        "indicator": "people_trained", "value": "42", "unit": "people",
        "disaggregation": {"sex": "female", "age": "18-29"},
    }  # fmt: skip
    variances = sorted(line.variance for line in report.lines.all())
    assert [str(v) for v in variances] == ["10000.00", "17999.50"]
    entry = AuditEntry.objects.get(action="grants.report.approved")
    assert entry.diff["released"] == [tranche.order]
    assert "We trained" not in str(AuditEntry.objects.get(action="grants.report.saved").diff)


def test_a_returned_report_needs_comments_and_is_written_again(
    officer: User, award: Award, applicant: SimpleNamespace
) -> None:
    report = _report(officer, award, kind="narrative")
    actions.save_report(applicant.user, report, narrative="Done.")
    actions.submit_report(applicant.user, report)
    with pytest.raises(ValidationError) as caught:
        actions.return_report(officer, report, "  ")
    assert "comment" in caught.value.error_dict
    actions.return_report(officer, report, "Say how many women took part.")
    report.refresh_from_db()
    assert report.status == "returned"
    actions.save_report(applicant.user, report, narrative="Done: 30 women of 54.")
    actions.submit_report(applicant.user, report)
    report.refresh_from_db()
    assert report.status == "submitted"


def test_submitting_needs_what_the_kind_asks(
    officer: User, award: Award, applicant: SimpleNamespace
) -> None:
    report = _report(officer, award, kind="final")
    with pytest.raises(ValidationError) as caught:
        actions.submit_report(applicant.user, report)
    assert set(caught.value.error_dict) == {"narrative", "lines"}
    report.refresh_from_db()
    assert report.status == "due"


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ([{"indicator": "Bad Code", "value": 1, "unit": "x"}], "Result 1, indicator"),
        ([{"indicator": "a", "value": -1, "unit": "x"}], "Result 1, value"),
        ([{"indicator": "a", "value": True, "unit": "x"}], "Result 1, value"),
        ([{"indicator": "a", "value": 1, "unit": "x", "colour": "red"}], "Result 1, colour"),
        ([{"indicator": "a", "value": 1, "unit": "x", "disaggregation": {"sex": "f"}}],
         "disaggregation.sex"),
        ([{"indicator": "a", "value": 1, "unit": "x", "disaggregation": {"age": "old"}}],
         "disaggregation.age"),
        ([RESULTS[0], RESULTS[0]], "Result 2 repeats the indicator people_trained"),
        ({"indicator": "a"}, "as a list"),
    ],
)  # fmt: skip
def test_results_are_validated_naming_the_item_and_field(
    officer: User, award: Award, applicant: SimpleNamespace, bad: object, message: str
) -> None:
    report = _report(officer, award)
    with pytest.raises(ValidationError) as caught:
        actions.save_report(applicant.user, report, narrative="x", results=bad)
    assert message in " ".join(caught.value.message_dict["results"])
    report.refresh_from_db()
    assert report.results == [] and report.narrative == ""


def test_the_results_schema_is_published() -> None:
    schema = results.json_schema()
    assert set(schema["required"]) == {"indicator", "value", "unit"}
    assert "disaggregation" in schema["properties"]


def test_a_line_of_another_application_is_refused(
    officer: User, award: Award, applicant: SimpleNamespace, open_call: object,
    other_applicant: SimpleNamespace,
) -> None:  # fmt: skip
    from tests.grants.money.conftest import make_award

    other = make_award(award.call, other_applicant.entity)
    line = other.application.budget_lines.first()
    report = _report(officer, award)
    with pytest.raises(ValidationError) as caught:
        actions.save_report(applicant.user, report, narrative="x", lines={line.pk: ("1", "")})
    assert f"line-{line.pk}" in caught.value.error_dict


def test_reviewers_and_other_grantees_may_not_act_on_reports(
    officer: User, reviewer: User, award: Award, applicant: SimpleNamespace,
    other_applicant: SimpleNamespace,
) -> None:  # fmt: skip
    report = _report(officer, award, kind="narrative")
    with pytest.raises(PermissionDenied):
        actions.save_report(other_applicant.user, report, narrative="x")
    with pytest.raises(PermissionDenied):
        actions.save_report(officer, report, narrative="x")
    actions.save_report(applicant.user, report, narrative="x")
    actions.submit_report(applicant.user, report)
    for user in (reviewer, applicant.user, other_applicant.user):
        with pytest.raises(PermissionDenied):
            actions.approve_report(user, report)


def test_reminders_go_once_per_due_date_to_the_grantees_members(
    officer: User, award: Award, applicant: SimpleNamespace, settings: object
) -> None:
    soon = _report(officer, award, days=3)
    _report(officer, award, days=60)  # outside the window
    late = _report(officer, award, days=-2)
    approved = _report(officer, award, kind="narrative", days=1)
    actions.save_report(applicant.user, approved, narrative="x")
    actions.submit_report(applicant.user, approved)
    assert reminders.send_reminders() == 2
    assert {m.to[0] for m in mail.outbox} == {applicant.user.email}
    assert len(mail.outbox) == 2
    body = mail.outbox[0].body
    assert f"/grants/reports/{late.pk}/" in body and "EUR" not in body
    assert reminders.send_reminders() == 0
    actions.move_report_due_date(officer, soon, TODAY() + dt.timedelta(days=5))
    assert reminders.send_reminders() == 1
    assert ReportReminder.objects.count() == 3
    assert AuditEntry.objects.filter(action="grants.report.reminded").count() == 3


def test_the_worker_task_sends_the_reminders(
    officer: User, award: Award, applicant: SimpleNamespace
) -> None:
    from justicework.grants.tasks import send_report_reminders

    _report(officer, award, days=0)
    assert send_report_reminders.call() == 1
    assert len(mail.outbox) == 1


def test_the_command_sends_now(officer: User, award: Award) -> None:
    from io import StringIO

    from django.core.management import call_command

    _report(officer, award, days=1)
    out = StringIO()
    call_command("grant_report_reminders", "--now", stdout=out)
    assert "1 report reminder(s) sent." in out.getvalue()
    call_command("grant_report_reminders", "--now", stdout=out)
    assert "0 report reminder(s) sent." in out.getvalue()
