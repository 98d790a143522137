"""What an applicant organisation is told about its application: a status change, the
eligibility outcome with its reason, the decision with the reasons given to the applicant, the
agreement to sign, a report returned or approved, a tranche paid, a change to the call. Shown on
the application's page to the applicant's members and e-mailed to them (without the reason).
Written by ``grants.notices`` only; never edited."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.grants.models.applications import Application


class ApplicantNotice(models.Model):
    class Kind(models.TextChoices):
        STATUS = "status", _("status changed")
        ELIGIBILITY = "eligibility", _("eligibility outcome")
        DECISION = "decision", _("decision")
        AGREEMENT = "agreement", _("agreement ready to sign")
        REPORT_RETURNED = "report_returned", _("report returned for changes")
        REPORT_APPROVED = "report_approved", _("report approved")
        TRANCHE_PAID = "tranche_paid", _("payment made")
        CALL_CHANGED = "call_changed", _("the call changed")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    #: the application's status when the notice was made
    status = models.CharField(_("status"), max_length=10, choices=Application.Status.choices)
    #: the text meant for the applicant (the staff's reasons, the report's comments, why the
    #: call changed), as staff wrote it; never reviewers' comments or scores
    reason = models.TextField(_("reason"), blank=True)
    #: what the notice's sentence needs (a report's title, a tranche's number, the fields changed)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["application", "-created_at", "-id"]
        indexes = [models.Index(fields=["application", "created_at"], name="grants_notice_app")]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.kind}"
