"""Information given back to a survivor: what they were told, when, by whom and how. A log,
append-only: a correction is a new entry. An entry ``for_survivor`` is also shown on the
survivor's own page (``views.survivor_page``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.encryption.fields import EncryptedTextField


class InformationGiven(models.Model):
    class How(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("By phone")
        MESSAGE = "message", _("By message")
        LETTER = "letter", _("By letter")
        SURVIVOR_PAGE = "page", _("Through the survivor page")

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    file = models.ForeignKey(
        "survivors.SurvivorFile", on_delete=models.PROTECT, related_name="information"
    )
    #: what they were told (encrypted: it may name the case, the forum, the survivor)
    what = EncryptedTextField(_("what"))
    given_at = models.DateTimeField(_("when"))
    how = models.CharField(_("how"), max_length=10, choices=How.choices)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    #: shown on the survivor page, in their words of choice
    for_survivor = models.BooleanField(_("shown on the survivor page"), default=False)
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("information given")
        verbose_name_plural = _("information given")
        indexes = [models.Index(fields=["file", "given_at"], name="information_given_file")]

    def __str__(self) -> str:
        return f"information:{self.pk}"
