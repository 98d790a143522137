"""Superior responsibility (art. 28), element by element: for a suspect of a case file (a
person or a unit), one row links an element of art. 28(a) or 28(b) (its number in the
catalogue) to one fact or piece of evidence, with its bearing, strength, a note and the date or
period it concerns. Written by ``law.actions_command``; read through ``law.rules_command``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.evidence.models import Item
from justicework.law.models.cases import CaseFile
from justicework.law.models.matrix import MatrixEntry
from justicework.violations.models import Incident, Person, Source, Unit, Violation

#: the modes of liability of superior responsibility (catalogue ids)
MODES = ("28(a)", "28(b)")
LINKS = ("violation", "incident", "item", "source")


def _exactly_one(names: tuple[str, ...]) -> models.Q:
    """Exactly one of ``names`` is set."""
    choices = [models.Q(**{f"{n}__isnull": n != chosen for n in names}) for chosen in names]
    found = choices[0]
    for choice in choices[1:]:
        found |= choice
    return found


class CommandElementRecord(models.Model):
    Bearing = MatrixEntry.Bearing
    Strength = MatrixEntry.Strength

    case = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="command_records")
    #: the suspect: exactly one of the two (a check constraint keeps it so)
    suspect_person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    suspect_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    mode_id = models.CharField(
        _("mode of liability"), max_length=8, choices=[(m, m) for m in MODES]
    )
    element = models.PositiveSmallIntegerField(_("element number"))
    #: the fact or piece of evidence: exactly one of the four
    violation = models.ForeignKey(
        Violation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    incident = models.ForeignKey(
        Incident, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    bearing = models.CharField(_("bearing"), max_length=12, choices=Bearing.choices)
    strength = models.CharField(_("strength"), max_length=8, choices=Strength.choices)
    note = models.TextField(_("note"), blank=True)
    #: the day or period the record concerns (one day: both the same; unknown: both empty)
    concerns_from = models.DateField(_("concerns from"), null=True, blank=True)
    concerns_to = models.DateField(_("concerns to"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["mode_id", "element", "id"]
        indexes = [models.Index(fields=["case", "mode_id", "element"], name="law_cmdrec_cell")]
        constraints = [
            models.CheckConstraint(condition=_exactly_one(LINKS), name="law_cmdrec_links_one"),
            models.CheckConstraint(
                condition=_exactly_one(("suspect_person", "suspect_unit")),
                name="law_cmdrec_suspect_one",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.mode_id} {self.element}"

    @property
    def link_field(self) -> str:
        return next(name for name in LINKS if getattr(self, f"{name}_id") is not None)
