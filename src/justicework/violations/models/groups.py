"""Victim groups: a counting unit (a village, a family, a convoy) with a number of persons."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.violations.dates import DatePrecision as DatePrecision


class VictimGroup(models.Model):
    """A group of victims counted together (a village, a family, a convoy)."""

    class Kind(models.TextChoices):
        FAMILY = "family", _("Family")
        VILLAGE = "village", _("Village or community")
        GROUP = "group", _("Other group")

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="victim_groups"
    )
    code = models.CharField(_("code"), max_length=16)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.GROUP)
    description = models.CharField(
        _("description"),
        max_length=300,
        help_text=_("Describe the group without naming its members."),
    )
    number_of_persons = models.PositiveIntegerField(
        _("number of persons"), validators=[MinValueValidator(1)]
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code"]
        verbose_name = _("victim group")
        verbose_name_plural = _("victim groups")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="group_code_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.number_of_persons})"
