"""Derivatives: files made from an original for looking at and sharing (docs/evidence.md,
"Derivatives"), kept beside it and linked to it, never replacing it.

* ``thumbnail`` — a small JPEG (at most 256 px) for lists and the item page;
* ``preview`` — a larger JPEG (at most 1280 px) to look at without opening the original;
* ``stripped`` — a metadata-stripped copy for sharing: the pixels re-encoded with no EXIF,
  GPS, XMP, ICC profile or comments.

Each is stored content-addressed by its own SHA-256 (``storage.derived.keep``: sealed under
its original's organisation key when the original is sealed, on either backend) and records the
tool and version that made it. One row per original and kind; making again replaces the row
(and removes the file it replaced once no row points at it); the two-person removal deletes
the rows, then the files.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.evidence.models.originals import HEX64, Original


class Derivative(models.Model):
    class Kind(models.TextChoices):
        THUMBNAIL = "thumbnail", _("Thumbnail")
        PREVIEW = "preview", _("Preview")
        STRIPPED = "stripped", _("Metadata-stripped copy")

    original = models.ForeignKey(Original, on_delete=models.PROTECT, related_name="derivatives")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    sha256 = models.CharField(_("SHA-256"), max_length=64, validators=[HEX64])
    size = models.BigIntegerField(_("size in bytes"))
    media_type = models.CharField(_("media type"), max_length=200)
    #: where the bytes are, relative to the store's root (``derivatives/ab/cd/<sha256>``)
    storage_key = models.CharField(_("storage key"), max_length=300)
    #: the library that made it ("Pillow", "PyAV+Pillow") and its version(s)
    tool = models.CharField(_("made with"), max_length=100)
    tool_version = models.CharField(_("version of the tool"), max_length=100)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("derivative")
        constraints = [
            models.UniqueConstraint(fields=["original", "kind"], name="evidence_derivative_kind"),
            models.CheckConstraint(
                condition=models.Q(size__gte=0), name="evidence_derivative_size"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of {self.original_id}"
