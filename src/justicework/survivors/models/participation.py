"""A survivor's participation in justice, versioned and append-only.

A :class:`ParticipationWish` is one version of what the survivor wants: to take part or not,
in which forums, through which legal representative, which protective measures were asked for
and granted, which reparations sought and received. The latest version is the current one; a
change is a new row. A :class:`VictimStatusApplication` row is one state of an application for
victim status before a forum; an update is a new row that ``supersedes`` the previous one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.encryption.fields import EncryptedTextField


class Forum(models.TextChoices):
    """The fixed list of forums; anything else is named in free text ("other")."""

    ICC = "icc", _("International Criminal Court")
    NATIONAL = "national", _("National courts")
    UNIVERSAL = "universal", _("Courts of another state (universal jurisdiction)")
    UN = "un", _("UN mechanisms (commissions, treaty bodies, special procedures)")
    REGIONAL = "regional", _("Regional human rights courts and commissions")
    TRUTH = "truth", _("Truth commissions and transitional justice bodies")
    OTHER = "other", _("Other (named)")


class ParticipationWish(models.Model):
    class TakePart(models.TextChoices):
        YES = "yes", _("Wants to take part")
        NO = "no", _("Does not want to take part")
        UNDECIDED = "undecided", _("Has not decided")

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    file = models.ForeignKey(
        "survivors.SurvivorFile", on_delete=models.PROTECT, related_name="participation"
    )
    version = models.PositiveIntegerField(_("version"))
    take_part = models.CharField(_("take part in justice"), max_length=10, choices=TakePart.choices)
    #: values of :class:`Forum`
    forums = models.JSONField(_("forums"), default=list, blank=True)
    forum_other = models.CharField(_("other forum"), max_length=200, blank=True)
    # Names and measures identify or endanger the survivor: encrypted like identity fields.
    legal_representative = EncryptedTextField(_("legal representative"))
    measures_requested = EncryptedTextField(_("protective measures requested"))
    measures_granted = EncryptedTextField(_("protective measures granted"))
    reparations_sought = EncryptedTextField(_("reparations sought"))
    reparations_received = EncryptedTextField(_("reparations received"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("participation wish")
        verbose_name_plural = _("participation wishes")
        constraints = [
            models.UniqueConstraint(fields=["file", "version"], name="participation_version_once")
        ]

    def __str__(self) -> str:
        return f"participation:{self.file_id}:v{self.version}"

    def forum_labels(self) -> list[str]:
        return [str(Forum(f).label) for f in self.forums if f in Forum.values]


class VictimStatusApplication(models.Model):
    class Status(models.TextChoices):
        PREPARING = "preparing", _("Being prepared")
        SUBMITTED = "submitted", _("Submitted")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    file = models.ForeignKey(
        "survivors.SurvivorFile", on_delete=models.PROTECT, related_name="victim_applications"
    )
    #: the state this row replaces (None: the application's first state)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    forum = models.CharField(_("forum"), max_length=10, choices=Forum.choices)
    forum_other = models.CharField(_("other forum"), max_length=200, blank=True)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    applied_on = models.DateField(_("applied on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("application for victim status")
        verbose_name_plural = _("applications for victim status")

    def __str__(self) -> str:
        return f"victim-status:{self.pk}"
