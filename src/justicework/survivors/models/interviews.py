"""Interviews of a survivor: who asked (and their gender, and the survivor's preference),
with which interpreter, where, for how long with how many breaks, with what care (a support
person, psychological first aid, a referral offered), for which declared purposes and — for a
repeat interview — why it adds value. Append-only. The narratives are encrypted; questions and
answers on sexual violence exist only where that purpose was declared."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.encryption.fields import EncryptedTextField


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Another gender")
    UNSTATED = "unstated", _("Not stated")


class Interview(models.Model):
    class Preference(models.TextChoices):
        FEMALE = "female", _("A woman")
        MALE = "male", _("A man")
        NONE = "none", _("No preference")
        NOT_ASKED = "not_asked", _("Not asked")

    class Place(models.TextChoices):
        OFFICE = "office", _("Office")
        HOME = "home", _("The survivor's home")
        SAFE_HOUSE = "safe_house", _("Safe house or shelter")
        HEALTH = "health", _("Health facility")
        REMOTE = "remote", _("Remote (phone or video)")
        OTHER = "other", _("Other private place")

    class Purpose(models.TextChoices):
        DOCUMENTATION = "documentation", _("Documentation")
        LEGAL = "legal", _("Legal proceedings")
        ASSISTANCE = "assistance", _("Assistance and referral")
        FOLLOW_UP = "follow_up", _("Follow-up")
        SEXUAL_VIOLENCE = "sexual_violence", _("Sexual and gender-based violence")

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    file = models.ForeignKey(
        "survivors.SurvivorFile", on_delete=models.PROTECT, related_name="interviews"
    )
    held_at = models.DateTimeField(_("held on"))
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    interviewer_gender = models.CharField(
        _("interviewer's gender"), max_length=10, choices=Gender.choices
    )
    #: the interpreter's name (encrypted, like the consent's interpreter); "" = none
    interpreter = EncryptedTextField(_("interpreter"))
    interpreter_gender = models.CharField(
        _("interpreter's gender"), max_length=10, choices=Gender.choices, blank=True
    )
    preferred_gender = models.CharField(
        _("survivor's preference"), max_length=10, choices=Preference.choices
    )
    place = models.CharField(_("place"), max_length=12, choices=Place.choices)
    support_person_present = models.BooleanField(_("support person present"), default=False)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"))
    breaks = models.PositiveIntegerField(_("breaks"), default=0)
    first_aid_given = models.BooleanField(_("psychological first aid given"), default=False)
    referral_offered = models.BooleanField(_("referral offered"), default=False)
    #: the declared purposes (``Purpose`` values), at least one
    purposes = models.JSONField(_("purposes"), default=list)
    #: why a repeat interview adds value (required when earlier ones or statements exist)
    repeat_reason = EncryptedTextField(_("why this interview adds value"))
    narrative = EncryptedTextField(_("narrative"))
    #: questions and answers on sexual violence: only with that purpose declared
    sexual_violence_narrative = EncryptedTextField(_("sexual violence narrative"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        indexes = [models.Index(fields=["organisation", "held_at"], name="interview_org")]

    def __str__(self) -> str:
        return f"interview:{self.pk}"

    def purpose_labels(self) -> list[str]:
        return [str(self.Purpose(p).label) for p in self.purposes if p in self.Purpose.values]


#: the encrypted text a list never loads
TEXT_FIELDS = ("interpreter", "repeat_reason", "narrative", "sexual_violence_narrative")
#: the narratives that unfold one audited read at a time
PARTS = {"narrative": "narrative", "sexual_violence": "sexual_violence_narrative"}
