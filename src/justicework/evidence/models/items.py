"""Evidence items: one organisation's record of one original, with its collection record
(after the Berkeley Protocol on Digital Open Source Investigations: who collected it, when, with
what, from where, how, and the hash they computed then)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.evidence.models.originals import HEX64, Original


class Item(models.Model):
    class Status(models.TextChoices):
        UNVERIFIED = "unverified", _("Unverified")
        IN_REVIEW = "in_review", _("In review")
        VERIFIED = "verified", _("Verified")
        DISPUTED = "disputed", _("Disputed")

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="evidence_items"
    )
    original = models.ForeignKey(Original, on_delete=models.PROTECT, related_name="items")
    display_name = models.CharField(_("name"), max_length=255)
    #: the name the client sent, with every character that is not printable escaped (\\uXXXX)
    submitted_name = models.CharField(_("submitted name"), max_length=1000, blank=True)
    #: does the name's extension fit the type found in the content? (None: the name has none)
    extension_matches = models.BooleanField(_("extension fits the content"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.UNVERIFIED
    )
    #: shows violence or injury: its thumbnails and previews are blurred in every view until
    #: the reader chooses to see them (``actions.items.set_graphic``)
    graphic = models.BooleanField(_("graphic content"), default=False)
    # The collection record
    collector = models.CharField(_("collected by"), max_length=200, blank=True)
    collected_at = models.DateTimeField(_("time of collection"), null=True, blank=True)
    collection_tool = models.CharField(_("tool or device"), max_length=300, blank=True)
    source_url = models.URLField(_("source address"), max_length=2000, blank=True)
    collection_method = models.CharField(_("method of collection"), max_length=2000, blank=True)
    sha256_at_collection = models.CharField(
        _("SHA-256 at collection"), max_length=64, blank=True, validators=[HEX64]
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("evidence item")
        indexes = [models.Index(fields=["organisation", "-id"], name="evidence_item_org_newest")]

    def __str__(self) -> str:
        return self.display_name
