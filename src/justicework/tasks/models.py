"""A progress record for long work that pages poll (DESIGN 4.6)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Progress(models.Model):
    """How far one piece of background work has got.

    Written only through ``justicework.tasks.progress`` (``start_progress``, ``Tracker``).
    ``message`` and ``result`` are shown to the owner and the organisation's admins and must
    never hold identity plaintext.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Finished")
        FAILED = "failed", _("Failed")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind"), max_length=60, help_text="e.g. search.reindex")
    title = models.CharField(_("title"), max_length=200)
    total = models.PositiveIntegerField(_("total"), null=True, blank=True)
    done = models.PositiveIntegerField(_("done"), default=0)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    message = models.CharField(_("message"), max_length=500, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    task_result_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="progress_owner_recent"),
            models.Index(fields=["organisation", "-created_at"], name="progress_org_recent"),
        ]
        verbose_name = _("progress")
        verbose_name_plural = _("progress records")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}

    @property
    def percent(self) -> int | None:
        """Whole percent done, or ``None`` while the total is unknown."""
        if not self.total:
            return 100 if self.status == self.Status.SUCCEEDED else None
        return min(100, (100 * self.done) // self.total)
