"""A programme of sub-granting and its calls: what may be funded, for whom, how much, how it is
judged, when it opens and closes, the application form, published questions and answers, and
the log of changes made after publication."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.core.models import Organisation, validate_country_codes
from justicework.grants.fields import (
    DEFAULT_CAP,
    validate_codes,
    validate_currency,
    validate_required_texts,
    validate_texts,
)


class RecipientCategory(models.TextChoices):
    """Who may receive support; the last five are the priorities EU guidance names."""

    LOCAL_CSO = "local_cso", _("Local civil-society organisation")
    NATIONAL_CSO = "national_cso", _("National civil-society organisation")
    COMMUNITY_GROUP = "community_group", _("Community-based group")
    SMALL = "small", _("Small organisation")
    REMOTE_RURAL = "remote_rural", _("Remote or rural organisation")
    WOMEN_LED = "women_led", _("Women-led organisation")
    SURVIVOR_LED = "survivor_led", _("Survivor-led organisation")
    YOUTH_LED = "youth_led", _("Youth-led organisation")


class Programme(models.Model):
    """The frame the per-recipient maximum applies across (all its calls)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="grant_programmes"
    )
    name = models.CharField(_("name"), max_length=200)
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    cap_per_recipient = models.DecimalField(
        _("maximum per third party"), default=DEFAULT_CAP, max_digits=14, decimal_places=2
    )
    cap_justification = models.TextField(_("justification of a higher maximum"), blank=True)
    #: a call's records stay locked until this many years after its last payment
    retention_years = models.PositiveSmallIntegerField(_("years records are kept"), default=5)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Call(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        CLOSED = "closed", _("closed")
        UNDER_REVIEW = "under_review", _("under review")
        DECIDED = "decided", _("decided")
        ARCHIVED = "archived", _("archived")

    class AmountMethod(models.TextChoices):
        ACTUAL_COSTS = "actual_costs", _("actual costs incurred")
        LUMP_SUM = "lump_sum", _("lump sum")
        UNIT_COSTS = "unit_costs", _("unit costs")
        FLAT_RATE = "flat_rate", _("flat rate")
        FIXED = "fixed", _("fixed amount per recipient")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="calls")
    #: the programme's organisation, kept on the call so every rule filters one column
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    title = models.JSONField(_("title"), default=dict, validators=[validate_required_texts])
    text = models.JSONField(_("call text"), default=dict, blank=True, validators=[validate_texts])
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.DRAFT
    )
    #: the fixed list of eligible activities: [{"code": ..., "title": {lang: text}}]
    activity_types = models.JSONField(_("eligible activity types"), default=list, blank=True)
    recipient_categories = models.JSONField(
        _("eligible recipient categories"), default=list, blank=True, validators=[validate_codes]
    )
    countries = models.JSONField(
        _("eligible countries"), default=list, blank=True, validators=[validate_country_codes]
    )
    legal_forms = models.JSONField(
        _("eligible legal forms"), default=list, blank=True, validators=[validate_codes]
    )
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    budget = models.DecimalField(
        _("budget of the call"), validators=[MinValueValidator(0)], max_digits=14, decimal_places=2
    )
    amount_min = models.DecimalField(
        _("minimum amount"), validators=[MinValueValidator(0)], max_digits=14, decimal_places=2
    )
    amount_max = models.DecimalField(
        _("maximum amount"), validators=[MinValueValidator(0)], max_digits=14, decimal_places=2
    )
    amount_method = models.CharField(
        _("how the amount is calculated"), max_length=14, choices=AmountMethod.choices
    )
    amount_note = models.TextField(_("amount rules"), blank=True)
    cap_per_recipient = models.DecimalField(
        _("maximum per third party"), default=DEFAULT_CAP, max_digits=14, decimal_places=2
    )
    cap_justification = models.TextField(_("justification of a higher maximum"), blank=True)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    #: the zone the call's dates are announced in (IANA name); stored times are UTC
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    publication_links = models.JSONField(_("publication links"), default=list, blank=True)
    blind_review = models.BooleanField(_("reviewers do not see the applicant"), default=False)
    reviews_per_application = models.PositiveSmallIntegerField(
        _("reviews per application"), default=3, validators=[MinValueValidator(1)]
    )
    one_proposal_per_applicant = models.BooleanField(_("one proposal per applicant"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opens_at", "-id"]
        indexes = [models.Index(fields=["organisation", "status"], name="grants_call_org_status")]

    def __str__(self) -> str:
        return self.reference


class Criterion(models.Model):
    """An award criterion (scored, with a weight, a range and an optional threshold) or an
    eligibility criterion (met or not); either may carry an EU priority."""

    class Kind(models.TextChoices):
        SCORED = "scored", _("scored")
        ELIGIBILITY = "eligibility", _("eligibility")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(default=0)
    code = models.CharField(_("code"), max_length=40)
    title = models.JSONField(_("title"), default=dict, validators=[validate_required_texts])
    guidance = models.JSONField(
        _("guidance"), default=dict, blank=True, validators=[validate_texts]
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.SCORED)
    priority = models.CharField(
        _("priority"), max_length=20, choices=RecipientCategory.choices, blank=True
    )
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=1)
    min_score = models.PositiveSmallIntegerField(_("lowest score"), default=0)
    max_score = models.PositiveSmallIntegerField(_("highest score"), default=10)
    threshold = models.DecimalField(
        _("threshold"), max_digits=6, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["call", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "code"], name="grants_criterion_code_once"),
            models.CheckConstraint(
                condition=models.Q(min_score__lt=models.F("max_score")),
                name="grants_criterion_range",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class Question(models.Model):
    """A question of the call's application form, in a section, in several languages."""

    class Kind(models.TextChoices):
        SHORT = "short", _("short text")
        LONG = "long", _("long text")
        NUMBER = "number", _("number")
        CHOICE = "choice", _("one of a list")
        YES_NO = "yes_no", _("yes or no")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="questions")
    section = models.JSONField(_("section"), default=dict, blank=True, validators=[validate_texts])
    order = models.PositiveSmallIntegerField(default=0)
    code = models.CharField(_("code"), max_length=40)
    prompt = models.JSONField(_("question"), default=dict, validators=[validate_required_texts])
    help_text = models.JSONField(_("help"), default=dict, blank=True, validators=[validate_texts])
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.LONG)
    required = models.BooleanField(_("required"), default=True)
    max_length = models.PositiveIntegerField(_("longest answer"), null=True, blank=True)
    #: for ``choice``: [{"code": ..., "title": {lang: text}}]
    choices = models.JSONField(_("choices"), default=list, blank=True)

    class Meta:
        ordering = ["call", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "code"], name="grants_question_code_once")
        ]

    def __str__(self) -> str:
        return self.code


class CallChange(models.Model):
    """A change to a published call (a deadline moved, a criterion reworded): logged and shown
    to applicants. Written by the call actions only; never edited."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(_("what changed"), max_length=60)
    old = models.JSONField(_("before"), null=True)
    new = models.JSONField(_("after"), null=True)
    note = models.TextField(_("why"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["call", "changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.call_id}: {self.field}"


class CallAnswer(models.Model):
    """A question asked about a call and its answer, published to every applicant (the asker
    is never shown)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="answers")
    question = models.JSONField(_("question"), default=dict, validators=[validate_required_texts])
    answer = models.JSONField(_("answer"), default=dict, blank=True, validators=[validate_texts])
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    asked_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["call", "asked_at", "id"]

    def __str__(self) -> str:
        return f"{self.call_id}: {self.asked_at:%Y-%m-%d}"
