"""A grantee's reports on an award: narrative, financial (spent per budget line of the
application, with the variance) or final, with the results it contributed to as structured
values (``grants.results``); reviewed by programme staff, approved or returned with comments.
Written by ``grants.actions_money_reports`` only."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.grants.models.applications import BudgetLine
from justicework.grants.models.awards import Award
from justicework.grants.results import validate_results


class GranteeReport(models.Model):
    class Kind(models.TextChoices):
        NARRATIVE = "narrative", _("narrative report")
        FINANCIAL = "financial", _("financial report")
        FINAL = "final", _("final report")

    class Status(models.TextChoices):
        #: expected from the grantee (being written, or not started)
        DUE = "due", _("due")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned for changes")
        APPROVED = "approved", _("approved")

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    #: what the report covers, as the programme names it ("first half", "2027")
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="due")
    narrative = models.TextField(_("narrative"), blank=True)
    #: [{"indicator", "value", "unit", "disaggregation", "note"}]: see ``grants.results``
    results = models.JSONField(
        _("results"), default=list, blank=True, validators=[validate_results]
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    #: the reviewer's comments on the last review (every review is in the audit log)
    review_comment = models.TextField(_("reviewer's comments"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["award", "due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"], name="grants_report_due")]

    def __str__(self) -> str:
        return f"{self.award_id}: {self.kind} {self.due_on}"


class ReportLine(models.Model):
    """What was spent against one budget line of the application, in the application's
    currency; the variance is the line's amount minus what was spent."""

    report = models.ForeignKey(GranteeReport, on_delete=models.CASCADE, related_name="lines")
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="+")
    spent = models.DecimalField(
        _("spent"), validators=[MinValueValidator(0)], max_digits=14, decimal_places=2
    )
    note = models.CharField(_("explanation"), max_length=500, blank=True)

    class Meta:
        ordering = ["report", "budget_line__order", "budget_line_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "budget_line"], name="grants_report_line_once"
            ),
            models.CheckConstraint(
                condition=models.Q(spent__gte=0), name="grants_report_line_spent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}/{self.budget_line_id}: {self.spent}"

    @property
    def variance(self) -> Decimal:
        return self.budget_line.amount - self.spent


class ReportReminder(models.Model):
    """A reminder of a due report sent to the grantee's members: one per (report, due date), so
    the task may run as often as it likes and a moved date reminds again."""

    report = models.ForeignKey(GranteeReport, on_delete=models.CASCADE, related_name="reminders")
    due_on = models.DateField()
    recipients = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "due_on"], name="grants_report_reminder_once")
        ]

    def __str__(self) -> str:
        return f"reminder:{self.report_id}:{self.due_on}"
