"""Perpetrations: a person or a unit that took part in a violation, and how."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.violations.dates import DatePrecision as DatePrecision
from justicework.violations.models.persons import Person
from justicework.violations.models.units import Unit
from justicework.violations.models.violations import Violation
from justicework.violations.vocabularies import VocabularyValidator


class Perpetration(models.Model):
    """A violation attributed to a person and/or a unit with a degree of involvement."""

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    # Indexed with the unit (Meta): an incident's units are read index-only from its
    # violations' perpetrations.
    violation = models.ForeignKey(
        Violation, on_delete=models.CASCADE, related_name="perpetrations", db_index=False
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="perpetrations"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="perpetrations"
    )
    involvement = models.CharField(
        _("degree of involvement"),
        max_length=40,
        validators=[VocabularyValidator("involvement_degrees")],
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("perpetration")
        verbose_name_plural = _("perpetrations")
        indexes = [models.Index(fields=["violation", "unit"], name="perpetration_violation_unit")]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(unit__isnull=False),
                name="perpetration_names_someone",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id or self.unit_id} {self.involvement} {self.violation_id}"

    def clean(self) -> None:
        super().clean()
        if self.person_id is None and self.unit_id is None:
            raise ValidationError({"unit": _("A perpetration names a person, a unit or both.")})
