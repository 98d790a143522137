"""Hand-overs of an item to a body outside the coalition (a court, a UN mechanism, a
prosecutor): who received it, for which institution, how, under which reference of theirs and
when. Each transfer is also custody entry "transferred" on the item, with the same fields
(``actions.transfers.record_transfer``); the row is what the item's page lists."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.evidence.models.items import Item


class Transfer(models.Model):
    class Method(models.TextChoices):
        IN_PERSON = "in_person", _("In person, on a storage medium")
        SECURE_UPLOAD = "secure_upload", _("Secure upload to the recipient")
        COURIER = "courier", _("Courier")
        OTHER = "other", _("Other (say how in the note)")

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="evidence_transfers"
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="transfers")
    recipient_name = models.CharField(_("recipient"), max_length=200)
    institution = models.CharField(_("institution"), max_length=300)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    recipient_reference = models.CharField(_("recipient's reference"), max_length=200, blank=True)
    handed_over_at = models.DateTimeField(_("time of hand-over"))
    note = models.TextField(_("note"), max_length=4000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("transfer")
        ordering = ["handed_over_at", "pk"]

    def __str__(self) -> str:
        return f"{self.item_id} → {self.institution}"
