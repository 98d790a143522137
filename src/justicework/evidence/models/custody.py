"""The chain of custody: every event on an item, hash-chained per item (canonical JSON, SHA-256
of the previous entry's hash and this entry), each also written to the audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.evidence.models.items import Item


class CustodyEntry(models.Model):
    class Event(models.TextChoices):
        COLLECTED = "collected", _("Collected")
        RECEIVED = "received", _("Received")
        EXPORTED = "exported", _("Exported in a package")
        SHARED = "shared", _("Metadata-stripped copy downloaded for sharing")
        REMOVAL_REQUESTED = "removal_requested", _("Removal requested")
        REMOVAL_REJECTED = "removal_rejected", _("Removal rejected")
        REMOVED = "removed", _("Removed (tombstone)")
        CAPTURED = "captured", _("Captured from the web")
        LINKED = "linked", _("Linked to a record")
        UNLINKED = "unlinked", _("Unlinked from a record")
        VERIFIED = "verified", _("Verification")
        VIEWED = "viewed", _("Viewed (its page opened)")
        DOWNLOADED = "downloaded", _("Original downloaded")
        COPIED = "copied", _("Copied to another organisation")
        TRANSFERRED = "transferred", _("Handed over to an outside body")
        SEALED = "sealed", _("Sealed at rest (encrypted or write-once)")

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="custody")
    seq = models.PositiveIntegerField()
    event = models.CharField(max_length=30, choices=Event.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_label = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)
    detail = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["item", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["item", "seq"], name="evidence_custody_item_seq")
        ]

    def __str__(self) -> str:
        return f"{self.item_id}#{self.seq} {self.event}"
