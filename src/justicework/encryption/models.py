from __future__ import annotations

from django.db import models
from django.utils import timezone


class DataKey(models.Model):
    """A 256-bit data key, stored only wrapped (AES-GCM) by the master key.

    ``scope`` is ``org:<id>`` for an organisation's identity data or ``blind-index`` for the
    platform-wide HMAC key of blind indexes. The newest un-retired key of a scope encrypts; every
    key, retired or not, still decrypts the values that name its id.
    """

    scope = models.CharField(max_length=40, db_index=True)
    wrapped_key = models.BinaryField()
    master_key_id = models.CharField(max_length=16)
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"data key {self.pk} ({self.scope})"
