"""Retention: how long each type of survivor record is kept, per organisation; legal holds
that stop its end; and the record of what was anonymised or deleted (no identity in it).

The record types come from a registry (:mod:`justicework.survivors.retention_types`) that
apps fill through their ``AppConfig.retention_types``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.encryption.fields import EncryptedTextField


class RetentionSchedule(models.Model):
    class Action(models.TextChoices):
        ANONYMISE = "anonymise", _("Anonymise")
        DELETE = "delete", _("Delete")

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    #: a registered record type's name (``retention_types.record_types()``)
    record_type = models.CharField(_("record type"), max_length=60)
    #: the event the period runs from, one of the record type's ``start_events``
    start_event = models.CharField(_("from"), max_length=40)
    period_days = models.PositiveIntegerField(_("period (days)"))
    action = models.CharField(_("then"), max_length=10, choices=Action.choices)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("retention schedule")
        verbose_name_plural = _("retention schedules")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "record_type"], name="retention_schedule_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.record_type}:{self.period_days}d:{self.action}"


class LegalHold(models.Model):
    """Stops anonymisation and deletion of every record of a survivor file while in force:
    not lifted, and its end (if any) not passed."""

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    file = models.ForeignKey(
        "survivors.SurvivorFile", on_delete=models.PROTECT, related_name="legal_holds"
    )
    #: e.g. the court's case reference; encrypted in case it names someone
    reason = EncryptedTextField(_("reason"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(_("set"), default=timezone.now)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")

    def __str__(self) -> str:
        return f"hold:{self.file_id}"

    def in_force(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.lifted_at is None and (self.ends_on is None or self.ends_on >= today)


class RetentionDone(models.Model):
    """A record that retention anonymised (deleted records leave only their audit entry): the
    review list does not offer it again."""

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    record_type = models.CharField(max_length=60)
    record_id = models.BigIntegerField()
    done_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "record_type", "record_id"], name="retention_done_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.record_type}:{self.record_id}"
