"""An application to a call: the answers to the call's form, a budget by activity and cost
category in the applicant's currency with its conversion to the call's, co-applicants and
attachments."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.grants.fields import validate_currency
from justicework.grants.models.applicants import LegalEntity
from justicework.grants.models.programmes import Call


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        WITHDRAWN = "withdrawn", _("withdrawn")
        INELIGIBLE = "ineligible", _("not eligible")
        IN_REVIEW = "in_review", _("in review")
        AWARDED = "awarded", _("awarded")
        RESERVE = "reserve", _("on the reserve list")
        REJECTED = "rejected", _("not selected")

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey(
        LegalEntity, on_delete=models.PROTECT, related_name="applications"
    )
    co_applicants = models.ManyToManyField(LegalEntity, related_name="co_applications", blank=True)
    reference = models.CharField(_("reference"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=300)
    #: the language the applicant writes in (a UI language code)
    language = models.CharField(_("language"), max_length=8, default="en")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    #: {question code: answer}, saved as the applicant writes
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    currency = models.CharField(_("budget currency"), max_length=3, validators=[validate_currency])
    #: units of the call's currency per unit of the budget's, as the applicant states it
    exchange_rate = models.DecimalField(
        _("exchange rate"),
        default=1,
        validators=[MinValueValidator(0)],
        max_digits=18,
        decimal_places=8,
    )
    rate_date = models.DateField(_("rate of"), null=True, blank=True)
    rate_source = models.CharField(_("rate source"), max_length=200, blank=True)
    #: the budget's total in the call's currency (kept in step by the budget actions)
    requested_amount = models.DecimalField(
        _("amount requested"), default=0, max_digits=14, decimal_places=2
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["call", "reference"]
        indexes = [
            models.Index(fields=["call", "status"], name="grants_app_call_status"),
            models.Index(fields=["applicant", "call"], name="grants_app_applicant"),
        ]

    def __str__(self) -> str:
        return self.reference


class BudgetLine(models.Model):
    class CostCategory(models.TextChoices):
        STAFF = "staff", _("staff")
        TRAVEL = "travel", _("travel and subsistence")
        EQUIPMENT = "equipment", _("equipment")
        SUPPLIES = "supplies", _("supplies and consumables")
        SERVICES = "services", _("services and sub-contracting")
        EVENTS = "events", _("meetings and trainings")
        SUPPORT = "support", _("direct support to participants")
        OTHER = "other", _("other direct costs")
        INDIRECT = "indirect", _("indirect costs")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_lines"
    )
    order = models.PositiveSmallIntegerField(default=0)
    #: a code from the call's ``activity_types``
    activity_type = models.CharField(_("activity"), max_length=40)
    cost_category = models.CharField(
        _("cost category"), max_length=10, choices=CostCategory.choices
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    #: in the application's currency
    amount = models.DecimalField(
        _("amount"), validators=[MinValueValidator(0)], max_digits=14, decimal_places=2
    )

    class Meta:
        ordering = ["application", "order", "id"]

    def __str__(self) -> str:
        return f"{self.activity_type}/{self.cost_category}: {self.amount}"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        STATUTES = "statutes", _("statutes")
        REGISTRATION = "registration", _("proof of registration")
        DECLARATION = "declaration", _("declaration of honour")
        BUDGET = "budget", _("detailed budget")
        OTHER = "other", _("other")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    #: the name as sent, neutralised; the bytes are stored under ``sha256``
    file_name = models.CharField(_("file name"), max_length=255)
    media_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["application", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.file_name
