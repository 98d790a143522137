"""Originals: the stored bytes of evidence, content-addressed by SHA-256.

One row per distinct content, whoever uploaded it and however often: two items (of one
organisation or of two) that hold the same bytes point at the same Original. Encrypted
originals (``EVIDENCE_ENCRYPT``) are the exception: one row per content and organisation
(``vault``, whose data key seals the stored object; ``storage.originals`` says why). The
row is written after the file is in place (``put_once`` of the store), in the transaction
that creates the item, so a row never points at a missing file. Nothing in the application changes
or deletes an Original.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

HEX64 = RegexValidator(r"^[0-9a-f]{64}$", _("A SHA-256 is 64 lower-case hexadecimal digits."))
HEX128 = RegexValidator(r"^[0-9a-f]{128}$", _("A SHA-512 is 128 lower-case hexadecimal digits."))


class Original(models.Model):
    sha256 = models.CharField(_("SHA-256"), max_length=64, validators=[HEX64])
    sha512 = models.CharField(_("SHA-512"), max_length=128, validators=[HEX128])
    size = models.BigIntegerField(_("size in bytes"))
    media_type = models.CharField(_("media type"), max_length=200)
    #: where the bytes are, relative to the store's root (``originals/ab/cd/<sha256>``)
    storage_key = models.CharField(_("storage key"), max_length=300)
    #: the organisation whose data key seals the stored bytes; null: stored in clear
    vault = models.ForeignKey(
        "core.Organisation", verbose_name=_("sealed for"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    backend = models.CharField(_("storage backend"), max_length=10, default="local")
    #: object lock read back from the stored object (S3): COMPLIANCE, GOVERNANCE or empty
    lock_mode = models.CharField(_("object lock"), max_length=20, blank=True, default="")
    retain_until = models.DateTimeField(_("retained until"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("original")
        constraints = [
            models.CheckConstraint(condition=models.Q(size__gte=0), name="evidence_original_size"),
            models.UniqueConstraint(
                fields=["sha256"], condition=models.Q(vault__isnull=True),
                name="evidence_original_plain_sha256",
            ),
            models.UniqueConstraint(
                fields=["sha256", "vault"], condition=models.Q(vault__isnull=False),
                name="evidence_original_sealed_sha256",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.sha256

    @property
    def encrypted(self) -> bool:
        return self.vault_id is not None
