"""A web capture asked for (page, API or command): the address, who asked, and once the task
worker has fetched it the items it made: the WARC and, where a browser was available, the
screenshot (docs/evidence.md, "Web capture")."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.evidence.models.items import Item


class Capture(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        DONE = "done", _("Captured")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="evidence_captures"
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    url = models.URLField(_("address"), max_length=2000)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    progress_id = models.PositiveBigIntegerField(null=True)
    #: the WARC (request and response records of every hop)
    item = models.ForeignKey(Item, on_delete=models.PROTECT, null=True, related_name="+")
    #: the screenshot of the final page, a second item ("" reason when there is one)
    screenshot = models.ForeignKey(Item, on_delete=models.PROTECT, null=True, related_name="+")
    screenshot_reason = models.CharField(max_length=500, blank=True)
    final_url = models.URLField(max_length=2000, blank=True)
    http_status = models.PositiveSmallIntegerField(null=True)
    address = models.CharField(max_length=64, blank=True)
    problem = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("web capture")
        indexes = [
            models.Index(fields=["organisation", "-created_at"], name="evidence_capture_org")
        ]

    def __str__(self) -> str:
        return self.url
