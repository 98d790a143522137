"""A tus upload in progress: how far it is, and both hash contexts as they stand at that offset
(``intake.hashing``), so a PATCH on any worker process continues where the last one stopped."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.evidence.models.items import Item


class Upload(models.Model):
    class Status(models.TextChoices):
        RECEIVING = "receiving", _("Receiving")
        COMPLETED = "completed", _("Completed")
        REFUSED = "refused", _("Refused")
        TERMINATED = "terminated", _("Terminated")
        EXPIRED = "expired", _("Expired")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="evidence_uploads"
    )
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    length = models.BigIntegerField()
    offset = models.BigIntegerField(default=0)
    sha256_state = models.BinaryField()
    sha512_state = models.BinaryField()
    #: the decoded ``Upload-Metadata`` (file name, declared hash, collection record)
    metadata = models.JSONField(default=dict)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVING)
    problem = models.CharField(max_length=500, blank=True)
    item = models.ForeignKey(Item, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["organisation", "status"], name="evidence_upload_org")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(offset__gte=0, offset__lte=models.F("length")),
                name="evidence_upload_offset_in_length",
            )
        ]

    def __str__(self) -> str:
        return str(self.id)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.RECEIVING and self.expires_at > timezone.now()
