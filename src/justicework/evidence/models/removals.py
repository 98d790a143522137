"""Removal of an original for legal reasons (docs/evidence.md, "Removal"): an admin of the
item's organisation files a :class:`RemovalRequest`, another admin approves or rejects it. On
approval the item gets a :class:`Tombstone` (append-only: database triggers refuse UPDATE and
DELETE, ``evidence.triggers``) that keeps what identified the file, and the stored bytes are
removed after the transaction commits, when no live item of any organisation holds them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.evidence.models.items import Item
from justicework.evidence.models.originals import HEX64, HEX128


class RemovalRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a second admin")
        APPROVED = "approved", _("Approved: the file was removed")
        REJECTED = "rejected", _("Rejected")

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="evidence_removals"
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="removal_requests")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"), max_length=4000)
    legal_basis = models.TextField(_("legal basis"), max_length=4000)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True)
    decision_note = models.TextField(_("note on the decision"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("removal request")
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=models.Q(status="pending"),
                name="evidence_removal_one_pending_per_item",
            ),
            models.CheckConstraint(
                condition=models.Q(decided_by__isnull=True)
                | ~models.Q(decided_by=models.F("requester")),
                name="evidence_removal_decided_by_another",
            ),
        ]

    def __str__(self) -> str:
        return f"removal of item {self.item_id} ({self.status})"


class Tombstone(models.Model):
    """What is left of an item whose original was removed: the hashes, size and type of the
    file, who asked and who approved, and when. Never changed or deleted."""

    item = models.OneToOneField(Item, on_delete=models.PROTECT, related_name="tombstone")
    request = models.OneToOneField(
        RemovalRequest, on_delete=models.PROTECT, related_name="tombstone"
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, validators=[HEX64])
    sha512 = models.CharField(_("SHA-512"), max_length=128, validators=[HEX128])
    size = models.BigIntegerField(_("size in bytes"))
    media_type = models.CharField(_("media type"), max_length=200)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    approved_at = models.DateTimeField()

    class Meta:
        verbose_name = _("tombstone")

    def __str__(self) -> str:
        return f"tombstone of item {self.item_id}"
