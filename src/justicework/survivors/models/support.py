"""Support: a directory of service providers, referrals of survivors to them, a support plan
per survivor, and the reminders sent for overdue follow-ups.

Providers are not survivor data: an organisation keeps them and may share each with the whole
coalition (``shared``). Referrals and plans are survivor data: they carry the person (the
consent gate's path) and are read under a declared use.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.encryption.fields import EncryptedTextField


class ServiceKind(models.TextChoices):
    MEDICAL = "medical", _("Medical")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial")
    LEGAL = "legal", _("Legal")
    SHELTER = "shelter", _("Shelter")
    ECONOMIC = "economic", _("Economic")
    PROTECTION = "protection", _("Protection")


class ServiceProvider(models.Model):
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind of service"), max_length=20, choices=ServiceKind.choices)
    country = models.CharField(_("country"), max_length=2)
    area = models.CharField(_("area"), max_length=200, blank=True)
    #: ISO 639-1 codes, stored as ",ar,en," so that one language filters with ``contains``
    languages = models.CharField(_("languages"), max_length=300, blank=True)
    accessibility = models.TextField(_("accessibility"), blank=True)
    contact = models.TextField(_("contact"), blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=300, blank=True)
    referral_requirements = models.TextField(_("referral requirements"), blank=True)
    #: seen by every coalition member, not only the owning organisation
    shared = models.BooleanField(_("shared with the coalition"), default=False)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("service provider")
        verbose_name_plural = _("service providers")
        indexes = [
            models.Index(fields=["organisation", "kind"], name="provider_org_kind"),
            models.Index(fields=["shared", "country", "kind"], name="provider_shared"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def language_codes(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]


class Referral(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CONSENT_CHECKED = "consent_checked", _("Consent checked")
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        COMPLETED = "completed", _("Completed")
        CLOSED = "closed", _("Closed")

    class Item(models.TextChoices):
        """What may be passed to the provider: nothing unless chosen."""

        CODE = "code", _("The survivor's case code")
        NAME = "name", _("Name")
        CONTACT = "contact", _("Safe contact details")
        LANGUAGE = "language", _("Preferred language")
        AGE_SEX = "age_sex", _("Age group and sex")
        NEEDS = "needs", _("The needs the referral is for")
        SUMMARY = "summary", _("A short summary of what happened")

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    file = models.ForeignKey(
        "survivors.SurvivorFile", on_delete=models.PROTECT, related_name="referrals"
    )
    #: denormalised from the file: the consent gate's path
    person = models.ForeignKey("violations.Person", on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey(
        ServiceProvider, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind of service"), max_length=20, choices=ServiceKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    shared_items = models.JSONField(_("information passed"), default=list)
    #: the note passed to the provider (encrypted like identity fields)
    note = EncryptedTextField(_("note to the provider"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    follow_up_on = models.DateField(_("follow-up date"), null=True, blank=True)
    outcome = EncryptedTextField(_("outcome"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["organisation", "status"], name="referral_org_status"),
            models.Index(fields=["follow_up_on"], name="referral_follow_up"),
        ]

    def __str__(self) -> str:
        return f"referral:{self.pk}"


class SupportPlan(models.Model):
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    file = models.OneToOneField(
        "survivors.SurvivorFile", on_delete=models.PROTECT, related_name="support_plan"
    )
    person = models.ForeignKey("violations.Person", on_delete=models.PROTECT, related_name="+")
    #: the kinds of service needed
    needs = models.JSONField(_("needs"), default=list)
    #: the needs in the survivor's words (encrypted)
    needs_note = EncryptedTextField(_("needs, in detail"))
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("last reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("support plan")
        verbose_name_plural = _("support plans")

    def __str__(self) -> str:
        return f"plan:{self.pk}"


class SupportAction(models.Model):
    """An agreed action of a plan, with its owner and date."""

    plan = models.ForeignKey(SupportPlan, on_delete=models.PROTECT, related_name="actions")
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    person = models.ForeignKey("violations.Person", on_delete=models.PROTECT, related_name="+")
    description = EncryptedTextField(_("action"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("due"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("support action")
        verbose_name_plural = _("support actions")
        indexes = [models.Index(fields=["due_on"], name="support_action_due")]

    def __str__(self) -> str:
        return f"action:{self.pk}"


class Reminder(models.Model):
    """A reminder sent to a member of staff: one per (what, record, due date), so the task can
    run as often as it likes. Holds no survivor data."""

    class Kind(models.TextChoices):
        REFERRAL = "referral", _("Referral follow-up")
        ACTION = "action", _("Support-plan action")
        SAFETY = "safety", _("Safety review")

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    due_on = models.DateField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "due_on"], name="support_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"reminder:{self.kind}:{self.object_id}"
