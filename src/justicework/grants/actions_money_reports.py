"""Writes to grantees' reports: programme staff schedule them (and move a due date); the
grantee's members write them (narrative, spending per budget line, results) and submit them;
staff approve them, which makes the tranches tied to the report due, or return them with
comments. Atomic, policy-checked, audited; the narrative is not copied into the audit log (it
may be long), only the fact it changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.core.models import User
from justicework.grants import notices
from justicework.grants.actions_money import (
    amount_of,
    audit,
    locked,
    release,
    require,
    text_given,
)
from justicework.grants.models import Award, BudgetLine, GranteeReport, ReportLine, Tranche
from justicework.grants.results import clean_results

MAX_NARRATIVE = 50_000
MAX_NOTE = 500
S = GranteeReport.Status


@transaction.atomic
def schedule_report(
    actor: User | None, award: Award, *, kind: str, title: str, due_on: dt.date
) -> GranteeReport:
    award = locked(award)
    require(actor, "manage", award)
    if kind not in GranteeReport.Kind.values:
        raise ValidationError({"kind": _("Choose narrative, financial or final.")})
    title = text_given(title, "title")[:200]
    if not isinstance(due_on, dt.date):
        raise ValidationError({"due_on": _("Give the date the report is due.")})
    report = GranteeReport.objects.create(award=award, kind=kind, title=title, due_on=due_on)
    audit(actor, "grants.report.scheduled", report, award, kind=kind, due_on=due_on.isoformat())
    return report


def _locked_report(report: GranteeReport) -> tuple[Award, GranteeReport]:
    award = locked(report.award)
    return award, GranteeReport.objects.select_for_update().get(pk=report.pk)


@transaction.atomic
def move_report_due_date(actor: User | None, report: GranteeReport, due_on: dt.date) -> None:
    award, report = _locked_report(report)
    require(actor, "manage", report)
    if report.status == S.APPROVED:
        raise ValidationError({"due_on": _("The report is approved.")})
    if not isinstance(due_on, dt.date):
        raise ValidationError({"due_on": _("Give the date the report is due.")})
    before = report.due_on
    report.due_on, report.updated_at = due_on, timezone.now()
    report.save(update_fields=["due_on", "updated_at"])
    audit(actor, "grants.report.due_moved", report, award, due_on=[str(before), str(due_on)])


def _spent(value: Any, field: str) -> Decimal:
    """Zero or more (a line may have had no spending yet)."""
    if str(value).strip() in {"0", "0.0", "0.00"}:
        return Decimal("0.00")
    return amount_of(value, field)


def _clean_lines(
    report: GranteeReport, lines: Mapping[int, tuple[Any, str]]
) -> dict[int, tuple[Any, str]]:
    """``{budget line id: (spent, note)}`` against the application's budget lines."""
    budget = set(
        BudgetLine.objects.filter(application_id=report.award.application_id).values_list(
            "pk", flat=True
        )
    )
    cleaned = {}
    for line_id, (spent, note) in lines.items():
        field = f"line-{line_id}"
        if line_id not in budget:
            raise ValidationError({field: _("This is not a budget line of the application.")})
        if spent in (None, ""):
            continue
        value = _spent(spent, field)
        if len(note or "") > MAX_NOTE:
            raise ValidationError({field: _("At most %(n)s characters.") % {"n": MAX_NOTE}})
        cleaned[line_id] = (value, (note or "").strip())
    return cleaned


@transaction.atomic
def save_report(
    actor: User | None,
    report: GranteeReport,
    *,
    narrative: str,
    lines: Mapping[int, tuple[Any, str]] | None = None,
    results: Any = None,
) -> GranteeReport:
    """Save what the grantee wrote (any number of times before submitting)."""
    award, report = _locked_report(report)
    require(actor, "write", report)
    if len(narrative or "") > MAX_NARRATIVE:
        raise ValidationError({"narrative": _("At most %(n)s characters.") % {"n": MAX_NARRATIVE}})
    try:
        cleaned_results = clean_results(results if results is not None else report.results)
    except ValidationError as exc:
        raise ValidationError({"results": exc.messages}) from None
    cleaned_lines = _clean_lines(report, lines or {})
    report.narrative, report.results = (narrative or "").strip(), cleaned_results
    report.updated_at = timezone.now()
    report.save(update_fields=["narrative", "results", "updated_at"])
    if lines is not None:
        report.lines.all().delete()  # the form sends every line; what is left blank is unsaid
        ReportLine.objects.bulk_create(
            ReportLine(report=report, budget_line_id=pk, spent=spent, note=note)
            for pk, (spent, note) in sorted(cleaned_lines.items())
        )
    audit(
        actor, "grants.report.saved", report, award, narrative="changed",
        lines=len(cleaned_lines), results=len(cleaned_results),
    )  # fmt: skip
    return report


@transaction.atomic
def submit_report(actor: User | None, report: GranteeReport) -> GranteeReport:
    award, report = _locked_report(report)
    require(actor, "write", report)
    errors = {}
    if report.kind != GranteeReport.Kind.FINANCIAL and not report.narrative.strip():
        errors["narrative"] = _("Write the narrative before submitting.")
    if report.kind != GranteeReport.Kind.NARRATIVE and not report.lines.exists():
        errors["lines"] = _("Give what was spent against the budget lines before submitting.")
    if errors:
        raise ValidationError(errors)
    report.status, report.submitted_by, report.submitted_at = S.SUBMITTED, actor, timezone.now()
    report.save(update_fields=["status", "submitted_by", "submitted_at"])
    audit(actor, "grants.report.submitted", report, award, kind=report.kind)
    return report


@transaction.atomic
def approve_report(actor: User | None, report: GranteeReport, comment: str = "") -> list[int]:
    """Approve a submitted report; the tranches tied to it become due today (their numbers)."""
    award, report = _locked_report(report)
    require(actor, "review", report)
    _reviewed(actor, report, S.APPROVED, comment)
    released = release(award, Tranche.objects.filter(report=report), timezone.localdate())
    audit(actor, "grants.report.approved", report, award, comment=report.review_comment,
          released=released)  # fmt: skip
    _tell(award, report, notices.K.REPORT_APPROVED)
    return released


@transaction.atomic
def return_report(actor: User | None, report: GranteeReport, comment: str) -> GranteeReport:
    """Send a submitted report back to the grantee with comments saying what to change."""
    award, report = _locked_report(report)
    require(actor, "review", report)
    _reviewed(actor, report, S.RETURNED, text_given(comment, "comment"))
    audit(actor, "grants.report.returned", report, award, comment=report.review_comment)
    _tell(award, report, notices.K.REPORT_RETURNED)
    return report


def _tell(award: Award, report: GranteeReport, kind: str) -> None:
    # the programme staff's comments are written for the grantee (reviewers do not review reports)
    notices.tell(award.application, kind, reason=report.review_comment, report=report.title)


def _reviewed(actor: User | None, report: GranteeReport, status: str, comment: str) -> None:
    if report.status != S.SUBMITTED:  # the system (actor None) is held to the same rule
        raise ValidationError({"status": _("Only a submitted report can be reviewed.")})
    report.status, report.reviewed_by, report.reviewed_at = status, actor, timezone.now()
    report.review_comment = (comment or "").strip()[:5000]
    report.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
