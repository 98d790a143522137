"""Case files (issue 14, "Case files and the case matrix"): a situation, suspects, charges
(crime and mode of liability, both catalogue ids), the records the case relies on and its team.

Every write goes through ``law.actions_cases``; every read through the policy
(``law.rules_cases``). The links to records are plain many-to-many tables: a record linked to a
case is still shown only when the policy lets the reader see it (need-to-know, consent).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.core.models import Organisation
from justicework.evidence.models import Item
from justicework.violations.models import Incident, Person, Source, Unit, Violation


class CaseFile(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="law_case_files"
    )
    title = models.CharField(_("title"), max_length=300)
    #: the situation: a country (ISO 3166-1 alpha-2) and a period
    country = models.CharField(_("country"), max_length=2)
    period_from = models.DateField(_("period from"), null=True, blank=True)
    period_to = models.DateField(_("period to"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    #: restricted: only the team and the organisation's admins see the case (docs/law.md)
    restricted = models.BooleanField(_("restricted to its team"), default=False)
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="law_case_files", blank=True
    )
    suspect_persons = models.ManyToManyField(Person, related_name="law_case_files", blank=True)
    suspect_units = models.ManyToManyField(Unit, related_name="law_case_files", blank=True)
    incidents = models.ManyToManyField(Incident, related_name="law_case_files", blank=True)
    violations = models.ManyToManyField(Violation, related_name="law_case_files", blank=True)
    items = models.ManyToManyField(Item, related_name="law_case_files", blank=True)
    sources = models.ManyToManyField(Source, related_name="law_case_files", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "-created_at"], name="law_case_org_new")]

    def __str__(self) -> str:
        return self.title


class Charge(models.Model):
    """A crime of the catalogue alleged under a mode of liability (both catalogue ids)."""

    case = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="charges")
    crime_id = models.CharField(_("crime"), max_length=40)
    mode_id = models.CharField(_("mode of liability"), max_length=40)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "crime_id", "mode_id"], name="law_charge_once_per_case"
            )
        ]

    def __str__(self) -> str:
        return f"{self.crime_id} / {self.mode_id}"
