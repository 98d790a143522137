"""Information sheets: what a survivor is told before consenting, as versioned data per
language, so what they were told is reproducible. A sheet is never edited once made: a change
is a new version."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class InformationSheet(models.Model):
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    #: which sheet ("consent", "referral" ...); versions count per (key, language)
    key = models.SlugField(_("sheet"), max_length=40, default="consent")
    language = models.CharField(_("language"), max_length=16)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("information sheet")
        verbose_name_plural = _("information sheets")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key", "language", "version"],
                name="information_sheet_version_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.language} v{self.version}"
