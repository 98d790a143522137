"""Units (state forces, police, armed groups; ``parent`` builds the hierarchy) and their
commanders over time.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.violations.dates import DatePrecision as DatePrecision
from justicework.violations.models.base import validate_country
from justicework.violations.models.persons import Person
from justicework.violations.vocabularies import VocabularyValidator


class Unit(models.Model):
    """A state force, police unit, armed group or sub-unit; ``parent`` builds the hierarchy."""

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="units"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("type"), max_length=40, validators=[VocabularyValidator("perpetrator_types")]
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_units",
        verbose_name=_("part of"),
    )
    country = models.CharField(
        _("country"), max_length=2, blank=True, validators=[validate_country]
    )
    aliases = models.JSONField(_("other names"), default=list, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name


class UnitCommander(models.Model):
    """Who commanded a unit, from when to when (for command responsibility)."""

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="commanders")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="commands")
    title = models.CharField(_("rank or title"), max_length=120, blank=True)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        ordering = ["unit_id", "start_date"]
        verbose_name = _("unit commander")
        verbose_name_plural = _("unit commanders")

    def __str__(self) -> str:
        return f"{self.person_id} commands {self.unit_id}"

    def clean(self) -> None:
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})


class UnitSubordination(models.Model):
    """A unit being part of another over a period (a re-subordination is a new row).

    ``Unit.parent`` is the hierarchy as recorded now; these rows date it. The chain of command
    on a date (``law.command.chain``) follows the row covering the date and falls back to
    ``Unit.parent`` for a unit with no row at all. A missing ``valid_from`` is an unknown start,
    a missing ``valid_to`` an open end.
    """

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="subordinations")
    parent = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("part of")
    )
    valid_from = models.DateField(_("from"), null=True, blank=True)
    valid_to = models.DateField(_("to"), null=True, blank=True)
    source = models.ForeignKey(
        "violations.Source",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("source"),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["unit_id", "valid_from", "pk"]
        verbose_name = _("unit subordination")
        verbose_name_plural = _("unit subordinations")
        indexes = [models.Index(fields=["organisation", "unit"], name="vio_unit_sub_org_unit")]

    def __str__(self) -> str:
        return f"{self.unit_id} part of {self.parent_id}"
