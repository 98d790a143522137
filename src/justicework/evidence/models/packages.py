"""A package asked for on the web: built by the task worker (``evidence.tasks``), kept under
``EVIDENCE_DIR/packages/<id>.zip``, downloadable by the person who asked for it only, until it
expires (``actions.packages.expire_packages``: the ZIP is deleted, the row and its manifest
hash stay)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Package(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="evidence_packages"
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    item_ids = models.JSONField(default=list)
    #: made of a saved search: {"search": name, "filters": {...}}; its items are found again
    #: when the worker builds the package (``item_ids`` are those found when it was asked for)
    selection = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    progress_id = models.PositiveBigIntegerField(null=True)
    size = models.BigIntegerField(null=True)
    manifest_sha256 = models.CharField(max_length=64, blank=True)
    problem = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    #: when the ZIP is deleted (``EVIDENCE_PACKAGE_TTL_HOURS`` after it is ready); the row stays
    expires_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("evidence package")

    def __str__(self) -> str:
        return str(self.id)

    @property
    def file_name(self) -> str:
        return f"evidence-package-{self.created_at:%Y%m%d-%H%M%S}-{str(self.id)[:8]}.zip"
