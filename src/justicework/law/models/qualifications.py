"""Qualifications: a legal analyst's decision on which crime a violation may amount to.

Suggestions are computed (``law.suggestions``) and never stored; a row exists only once a
person has decided (``law.actions_qualifications.decide_qualification``): accepted, rejected,
edited (another crime than the one suggested) or proposed (put forward for review).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: the longest crime id of the catalogue is 15 characters (``8(2)(b)(xxii)-1``)
CRIME_ID_LENGTH = 20
NOTE_MAX_LENGTH = 4000


class Qualification(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        EDITED = "edited", _("Edited (another crime chosen)")

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    violation = models.ForeignKey(
        "violations.Violation", on_delete=models.CASCADE, related_name="qualifications"
    )
    crime_id = models.CharField(_("crime"), max_length=CRIME_ID_LENGTH)
    #: the suggested crime an edit replaced ("" when the decision is on the crime itself)
    suggested_crime_id = models.CharField(
        _("suggested crime replaced"), max_length=CRIME_ID_LENGTH, blank=True, default=""
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    analyst = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("analyst"),
    )
    note = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH)
    #: the catalogue version the decision was made against
    catalogue_version = models.CharField(_("catalogue version"), max_length=20)
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)

    class Meta:
        ordering = ["violation_id", "crime_id"]
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        constraints = [
            models.UniqueConstraint(
                fields=["violation", "crime_id"], name="law_one_qualification_per_crime"
            )
        ]
        indexes = [models.Index(fields=["organisation", "status"], name="law_qualif_org_status")]

    def __str__(self) -> str:
        return f"{self.violation_id} → {self.crime_id} ({self.status})"
