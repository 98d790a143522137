"""Violations (one act against one victim or one group, within an incident) and the roles
persons play in them (:class:`PersonRole`).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.violations import vocabularies
from justicework.violations.dates import DatePrecision as DatePrecision
from justicework.violations.models.base import FuzzyDates
from justicework.violations.models.groups import VictimGroup
from justicework.violations.models.incidents import Incident, Location
from justicework.violations.models.persons import Person
from justicework.violations.vocabularies import VocabularyValidator


class Violation(FuzzyDates):
    """One act against one victim (see :class:`PersonRole`) or one :class:`VictimGroup`."""

    class VictimOutcome(models.TextChoices):
        UNKNOWN = "unknown", _("Unknown")
        RELEASED = "released", _("Released")
        STILL_DETAINED = "detained", _("Still detained")
        DECEASED = "deceased", _("Deceased")
        MISSING = "missing", _("Missing")
        INJURED = "injured", _("Injured")
        DISPLACED = "displaced", _("Displaced")
        ESCAPED = "escaped", _("Escaped")
        ALIVE = "alive", _("Alive")

    # No index of its own: the (organisation, ...) indexes in Meta lead with it.
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="violations", db_index=False
    )
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="violations")
    type = models.CharField(
        _("type of act"), max_length=40, validators=[VocabularyValidator("violation_types")]
    )
    method = models.CharField(
        _("method"), max_length=40, blank=True, validators=[VocabularyValidator("methods")]
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="violations",
        verbose_name=_("place"),
    )
    # Indexed only where set (violation_victim_group): most violations have one victim and no
    # group, and a full index would take an entry per violation for nothing.
    victim_group = models.ForeignKey(
        VictimGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="violations",
        verbose_name=_("victim group"),
        db_index=False,
    )
    description = models.TextField(_("description"), blank=True)
    consequences = models.TextField(_("consequences"), blank=True)
    victim_age = models.PositiveSmallIntegerField(
        _("age of the victim at the time"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(130)],
    )
    victim_outcome = models.CharField(
        _("status of the victim at the end"),
        max_length=10,
        choices=VictimOutcome.choices,
        default=VictimOutcome.UNKNOWN,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        ordering = ["incident_id", "pk"]
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        indexes = [
            models.Index(fields=["organisation", "type"]),
            models.Index(fields=["organisation", "start_date"]),
            models.Index(fields=["organisation", "created_at", "id"], name="violation_org_created"),
            models.Index(
                fields=["victim_group"],
                condition=Q(victim_group__isnull=False),
                name="violation_victim_group",
            ),
        ]

    def __str__(self) -> str:
        try:
            return vocabularies.label("violation_types", self.type)
        except LookupError:
            return self.type

    def clean(self) -> None:
        super().clean()
        types = vocabularies.get("violation_types")
        if self.type in types and types.term(self.type).extra.get("group"):
            raise ValidationError(
                {
                    "type": _("%(code)r is a grouping of acts; choose one of the narrower types.")
                    % {"code": self.type}
                }
            )

    @property
    def type_label(self) -> str:
        return str(self)


class PersonRole(models.Model):
    """A person's role in a violation: the victim, a witness or a source of information."""

    class Role(models.TextChoices):
        VICTIM = "victim", _("Victim")
        WITNESS = "witness", _("Witness")
        SOURCE = "source", _("Source")

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    # No indexes of their own: person_role_once (violation, person, role) and the (person,
    # role) index lead with them.
    violation = models.ForeignKey(
        Violation, on_delete=models.CASCADE, related_name="person_roles", db_index=False
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="roles", db_index=False
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("person's role")
        verbose_name_plural = _("persons' roles")
        constraints = [
            models.UniqueConstraint(
                fields=["violation", "person", "role"], name="person_role_once"
            ),
            models.UniqueConstraint(
                fields=["violation"], condition=Q(role="victim"), name="one_victim_per_violation"
            ),
        ]
        indexes = [models.Index(fields=["person", "role"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.role} of {self.violation_id}"


#: Compatibility name used in the brief: the victim link is a PersonRole with role "victim".
ViolationVictim = PersonRole
