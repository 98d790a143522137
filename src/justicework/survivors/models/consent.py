"""Consent, use by use, append-only.

A :class:`Consent` is one occasion of asking (or of hearing a withdrawal): how, by whom, in
which language, with which information sheet, the survivor's own conditions. Each of its
:class:`ConsentDecision` rows gives, refuses or withdraws one use (a ``core.uses.Scope``),
optionally for a named service, organisation or forum (``qualifier``). Nothing is updated: the
latest decision recorded for a (use, qualifier) is the current one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.core.uses import Scope
from justicework.encryption.fields import EncryptedTextField


class Consent(models.Model):
    class Method(models.TextChoices):
        WRITTEN = "written", _("Written (signed form)")
        ORAL = "oral", _("Oral")
        RECORDED = "recorded", _("Recorded (audio or video)")
        SURVIVOR_PAGE = "page", _("By the survivor, on the survivor page (with a code)")

    class GivenBy(models.TextChoices):
        SURVIVOR = "survivor", _("The survivor")
        GUARDIAN = "guardian", _("A parent or guardian (child)")

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    file = models.ForeignKey(
        "survivors.SurvivorFile", on_delete=models.PROTECT, related_name="consents"
    )
    #: when the survivor gave (or withdrew) it; may be before it was entered here
    given_at = models.DateTimeField(_("date"))
    method = models.CharField(_("how"), max_length=10, choices=Method.choices)
    #: the recording in the evidence vault (method "recorded")
    recording = models.ForeignKey(
        "evidence.Item", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    language = models.CharField(_("language"), max_length=16)
    interpreter = EncryptedTextField(_("interpreter"))
    given_by = models.CharField(
        _("given by"), max_length=10, choices=GivenBy.choices, default=GivenBy.SURVIVOR
    )
    guardian_relationship = models.CharField(
        _("guardian's relationship"), max_length=100, blank=True
    )
    sheet = models.ForeignKey(
        "survivors.InformationSheet",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("information sheet shown"),
    )
    #: conditions in the survivor's words (encrypted like identity fields)
    conditions = EncryptedTextField(_("conditions"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"consent:{self.pk}"


class ConsentDecision(models.Model):
    class Answer(models.TextChoices):
        GIVEN = "given", _("Given")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="decisions")
    #: denormalised from the consent: the gate's look-ups start here
    file = models.ForeignKey(
        "survivors.SurvivorFile", on_delete=models.PROTECT, related_name="decisions", db_index=False
    )
    scope = models.CharField(_("use"), max_length=20, choices=Scope.choices)
    #: a named service, organisation or forum ("" = the use in general)
    qualifier = models.CharField(_("for"), max_length=200, blank=True)
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices)

    class Meta:
        verbose_name = _("consent decision")
        verbose_name_plural = _("consent decisions")
        indexes = [models.Index(fields=["file", "scope", "qualifier"], name="consent_current")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.qualifier}:{self.answer}"
