"""The money of an award: the grant agreement (a generated PDF, its SHA-256, sent and signed),
the payment tranches and their conditions, the payments, and the reductions and recoveries
that change what the grantee is owed. Written by ``grants.actions_money`` only.

The balance (``grants.balance``): awarded - reductions - paid + recovered is what remains to be
paid; below zero, the grantee holds more than it is now entitled to and owes the difference.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.grants.models.awards import Award
from justicework.grants.models.reports import GranteeReport, ReportLine, ReportReminder

__all__ = [
    "Agreement",
    "GranteeReport",
    "Payment",
    "Recovery",
    "Reduction",
    "ReportLine",
    "ReportReminder",
    "Tranche",
]
POSITIVE = [MinValueValidator(0.01)]


class Agreement(models.Model):
    """The grant agreement of an award, generated from the award's data in the grantee's
    language; regenerated while a draft, fixed once sent (``sha256`` names the document)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SENT = "sent", _("sent to the grantee")
        SIGNED = "signed", _("signed")

    award = models.OneToOneField(Award, on_delete=models.PROTECT, related_name="agreement")
    #: the language of the document (the application's)
    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    #: how many times the document was generated (a draft may be generated again)
    version = models.PositiveSmallIntegerField(default=1)
    document = models.BinaryField(_("document (PDF)"))
    sha256 = models.CharField(_("SHA-256 of the document"), max_length=64)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    generated_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    #: the date both parties signed (as written on the signed copy)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["award"]

    def __str__(self) -> str:
        return f"agreement:{self.award_id}"


class Tranche(models.Model):
    """A part of the award paid when its condition is met: at signature, when a given report is
    approved, or on a date. ``pending`` until then, ``due`` once met, ``paid`` when payments
    reach its amount."""

    class Condition(models.TextChoices):
        SIGNATURE = "signature", _("on signature of the agreement")
        REPORT = "report", _("when a report is approved")
        DATE = "date", _("on a date")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for its condition")
        DUE = "due", _("due")
        PAID = "paid", _("paid")

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="tranches")
    order = models.PositiveSmallIntegerField(_("number"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2, validators=POSITIVE)
    condition = models.CharField(_("condition"), max_length=10, choices=Condition.choices)
    #: for ``report``: the report whose approval releases the tranche
    report = models.ForeignKey(
        GranteeReport,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="releases",
        verbose_name=_("report"),
    )
    #: for ``date``: the date; otherwise set to the day the condition was met
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )

    class Meta:
        ordering = ["award", "order"]
        constraints = [
            models.UniqueConstraint(fields=["award", "order"], name="grants_tranche_order_once"),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="grants_tranche_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award_id}#{self.order}: {self.amount}"

    def is_payable(self, today: dt.date) -> bool:
        """Due (its condition met), or a dated tranche whose date has come."""
        if self.status == self.Status.DUE:
            return True
        if self.status != self.Status.PENDING or self.condition != self.Condition.DATE:
            return False
        return self.due_date is not None and self.due_date <= today


class MoneyMovement(models.Model):
    """What payments, reductions and recoveries share: an amount in the award's currency, a
    date, who recorded it and when."""

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2, validators=POSITIVE)
    #: the day the money moved or the decision was taken (not the day it was typed)
    date = models.DateField(_("date"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["award", "date", "id"]

    def __str__(self) -> str:
        return f"{self.award_id}: {self.amount} on {self.date}"


class Payment(MoneyMovement):
    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="payments")
    tranche = models.ForeignKey(
        Tranche, on_delete=models.PROTECT, null=True, blank=True, related_name="payments"
    )
    #: the bank's or the accounting system's reference of the transfer
    reference = models.CharField(_("reference"), max_length=120)

    class Meta(MoneyMovement.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="grants_payment_amount_positive"
            )
        ]


class Reduction(MoneyMovement):
    """A decision lowering what the grantee is entitled to (costs found ineligible, an
    activity not carried out)."""

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="reductions")
    reason = models.TextField(_("reason"))

    class Meta(MoneyMovement.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="grants_reduction_amount_positive"
            )
        ]


class Recovery(MoneyMovement):
    """Money the grantee paid back (after a reduction, or unspent at the end)."""

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="recoveries")
    reason = models.TextField(_("reason"))

    class Meta(MoneyMovement.Meta):
        verbose_name_plural = _("recoveries")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="grants_recovery_amount_positive"
            )
        ]
