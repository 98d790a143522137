"""What was read from an original without changing it (docs/evidence.md, "Provenance"): the
metadata of its container (EXIF and GPS, PDF information, audio and video streams), the
findings of the reading (a malformed file, a missing time zone), and for images the perceptual
hashes that find near-duplicates.

One row per Original, written by ``actions.extract_provenance`` (after intake, by the task
worker, or by ``justicework evidence extract``); extracting again replaces the row. The
perceptual hash is kept as a signed 64-bit integer (``phash``) and in four 16-bit bands
(``phash_b0`` .. ``phash_b3``), each indexed: a hash within Hamming distance 11 of another
shares one band within distance 2 (``provenance.phash``).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.evidence.models.originals import Original


class Provenance(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", _("Image")
        PDF = "pdf", _("PDF document")
        MEDIA = "media", _("Audio or video")
        OTHER = "other", _("Other")

    original = models.OneToOneField(Original, on_delete=models.PROTECT, related_name="provenance")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    #: field name -> value as read (strings and numbers; names in ``provenance.fields``)
    metadata = models.JSONField(default=dict)
    #: [{"code": ..., "detail": ...}]: what could not be read or is doubtful
    findings = models.JSONField(default=list)
    #: time of capture as the file states it, ``YYYY-MM-DDTHH:MM:SS``, and its UTC offset
    #: (``+02:00``) when the file states one, else empty: the zone is then unknown
    captured_local = models.CharField(max_length=32, blank=True)
    captured_offset = models.CharField(max_length=6, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    #: C2PA Content Credentials: state (none, valid, trusted, invalid, unreadable), signer,
    #: issuer, generator, claimed capture, actions (edit history), failure codes
    credentials = models.JSONField(default=dict)
    phash = models.BigIntegerField(null=True, blank=True)
    dhash = models.BigIntegerField(null=True, blank=True)
    phash_b0 = models.IntegerField(null=True, blank=True, db_index=True)
    phash_b1 = models.IntegerField(null=True, blank=True, db_index=True)
    phash_b2 = models.IntegerField(null=True, blank=True, db_index=True)
    phash_b3 = models.IntegerField(null=True, blank=True, db_index=True)
    extracted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("provenance")
        indexes = [models.Index(fields=["phash"], name="evidence_prov_phash")]

    def __str__(self) -> str:
        return f"provenance of {self.original_id}"


class FrameHash(models.Model):
    """The perceptual hash of one key frame of a video (``provenance.frames``), in the bands of
    ``Provenance.phash`` so the same index-friendly search finds frames of re-encoded copies."""

    original = models.ForeignKey(Original, on_delete=models.PROTECT, related_name="frame_hashes")
    seq = models.PositiveSmallIntegerField()
    #: the frame's time in the video, in seconds
    at_s = models.FloatField()
    phash = models.BigIntegerField()
    phash_b0 = models.IntegerField(db_index=True)
    phash_b1 = models.IntegerField(db_index=True)
    phash_b2 = models.IntegerField(db_index=True)
    phash_b3 = models.IntegerField(db_index=True)

    class Meta:
        verbose_name = _("key-frame hash")
        constraints = [
            models.UniqueConstraint(fields=["original", "seq"], name="evidence_framehash_seq")
        ]

    def __str__(self) -> str:
        return f"frame {self.seq} of {self.original_id}"
