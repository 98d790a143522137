"""Verification after the Berkeley Protocol: findings at three levels (the source, the item as
a file, its content), each with a confidence, a reviewer and a time; the item's status moves
through ``evidence.verification`` (the one place that knows the transitions). Whether the
organisation asks for two people is its ``VaultSettings``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.evidence.models.items import Item


class Finding(models.Model):
    class Level(models.TextChoices):
        SOURCE = "source", _("Source")
        ITEM = "item", _("Item (the file)")
        CONTENT = "content", _("Content")

    class Confidence(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="findings")
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    text = models.TextField(_("finding"), max_length=5000)
    confidence = models.CharField(_("confidence"), max_length=10, choices=Confidence.choices)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reviewer_label = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("verification finding")
        ordering = ["item", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.item_id} {self.level} {self.confidence}"


class VaultSettings(models.Model):
    """An organisation's settings for its evidence vault (a row only once one is changed)."""

    organisation = models.OneToOneField(
        "core.Organisation", on_delete=models.PROTECT, related_name="evidence_settings"
    )
    two_person_verification = models.BooleanField(_("two-person verification"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("evidence vault settings")

    def __str__(self) -> str:
        return f"{self.organisation_id} two-person={self.two_person_verification}"
