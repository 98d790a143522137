"""The case matrix: one row links an element of a charge (of its crime or of its mode of
liability, by its number in the catalogue) to one fact or piece of evidence, saying whether it
supports or contradicts the element and how strongly."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.evidence.models import Item
from justicework.law.models.cases import Charge
from justicework.violations.models import Incident, Source, Violation

LINKS = ("violation", "incident", "item", "source")


def _exactly_one_link() -> models.Q:
    """Exactly one of :data:`LINKS` is set."""
    choices = [models.Q(**{f"{n}__isnull": n != chosen for n in LINKS}) for chosen in LINKS]
    found = choices[0]
    for choice in choices[1:]:
        found |= choice
    return found


class MatrixEntry(models.Model):
    class Part(models.TextChoices):
        CRIME = "crime", _("element of the crime")
        MODE = "mode", _("element of the mode of liability")

    class Bearing(models.TextChoices):
        SUPPORTS = "supports", _("supports")
        CONTRADICTS = "contradicts", _("contradicts")

    class Strength(models.TextChoices):
        NONE = "none", _("none")
        WEAK = "weak", _("weak")
        MODERATE = "moderate", _("moderate")
        STRONG = "strong", _("strong")

    charge = models.ForeignKey(Charge, on_delete=models.CASCADE, related_name="entries")
    part = models.CharField(_("part"), max_length=5, choices=Part.choices)
    element = models.PositiveSmallIntegerField(_("element number"))
    #: exactly one of the four below (a check constraint keeps it so)
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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["charge", "part", "element"], name="law_entry_cell")]
        constraints = [
            models.CheckConstraint(condition=_exactly_one_link(), name="law_entry_links_one")
        ]

    def __str__(self) -> str:
        return f"{self.charge_id} {self.part} {self.element}"
