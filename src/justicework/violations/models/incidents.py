"""Incidents (an event with fuzzy dates, a context, a status and a sensitivity), their locations
and the relations between incidents.
"""

from __future__ import annotations

import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.violations.dates import DatePrecision as DatePrecision
from justicework.violations.models.base import FuzzyDates, validate_country


class Incident(FuzzyDates):
    #: The one bound of ``external_ref``: the model, the web form, the API schemas and the
    #: importer's ``incident_external_ref`` all read it.
    EXTERNAL_REF_MAX_LENGTH = 200

    class Context(models.TextChoices):
        IAC = "iac", _("International armed conflict")
        NIAC = "niac", _("Non-international armed conflict")
        OCCUPATION = "occupation", _("Occupation")
        NONE_KNOWN = "none_known", _("No armed conflict known")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        DOCUMENTED = "documented", _("Documented")
        VERIFIED = "verified", _("Verified")

    class Sensitivity(models.TextChoices):
        NORMAL = "normal", _("Normal")
        RESTRICTED = "restricted", _("Restricted (need-to-know)")

    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="incidents",
        verbose_name=_("owning organisation"),
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    country = models.CharField(
        _("country"),
        max_length=2,
        blank=True,
        validators=[validate_country],
        help_text=_("ISO 3166-1 alpha-2 code of the main country."),
    )
    context = models.CharField(
        _("context"), max_length=12, choices=Context.choices, default=Context.NONE_KNOWN
    )
    external_ref = models.CharField(
        _("external reference"),
        max_length=EXTERNAL_REF_MAX_LENGTH,
        blank=True,
        default="",
        db_default="",  # rows written in bulk without the column (demo scale) get it empty
        help_text=_("The source's own reference of the incident (e.g. a case number)."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    sensitivity = models.CharField(
        _("sensitivity"), max_length=12, choices=Sensitivity.choices, default=Sensitivity.NORMAL
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["organisation", "country"]),
            models.Index(fields=["organisation", "start_date"]),
            models.Index(fields=["organisation", "created_at", "id"], name="incident_org_created"),
        ]
        # On PostgreSQL only, migration 0005 adds the covering index incident_visibility
        # (id INCLUDE organisation, sensitivity, created_by): the policy's per-row visibility
        # test read index-only (ranked search probes thousands of rows). It is not declared
        # here: SQLite has no covering indexes (and Django warns about one declared).

    def __str__(self) -> str:
        return self.title

    @property
    def is_restricted(self) -> bool:
        return self.sensitivity == self.Sensitivity.RESTRICTED


class IncidentRelation(models.Model):
    """``from_incident`` <kind> ``to_incident``: e.g. A is part of B, A precedes B."""

    class Kind(models.TextChoices):
        PART_OF = "part_of", _("is part of")
        PRECEDES = "precedes", _("precedes")
        FOLLOWS = "follows", _("follows")
        SAME_AS = "same_as", _("is the same as")

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    from_incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="relations_from"
    )
    to_incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="relations_to")
    kind = models.CharField(_("relation"), max_length=10, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["from_incident", "to_incident", "kind"], name="one_relation_per_kind"
            ),
            models.CheckConstraint(
                condition=~Q(from_incident=models.F("to_incident")),
                name="relation_not_to_itself",
            ),
        ]
        verbose_name = _("incident relation")
        verbose_name_plural = _("incident relations")

    def __str__(self) -> str:
        return f"{self.from_incident_id} {self.kind} {self.to_incident_id}"


class Location(models.Model):
    """A place of an incident: country, ISO 3166-2 subdivision, place name, coordinates."""

    class Precision(models.TextChoices):
        EXACT = "exact", _("Exact (within 100 m)")
        NEAR = "near", _("Near (within 1 km)")
        LOCALITY = "locality", _("Town or village")
        SUBDIVISION = "subdivision", _("Region or province")
        COUNTRY = "country", _("Country only")

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="locations")
    country = models.CharField(_("country"), max_length=2, validators=[validate_country])
    subdivision = models.CharField(
        _("subdivision"), max_length=6, blank=True, help_text=_("ISO 3166-2 code, e.g. UA-14.")
    )
    place_name = models.CharField(_("place name"), max_length=200, blank=True)
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90.0), MaxValueValidator(90.0)],
    )
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180.0), MaxValueValidator(180.0)],
    )
    precision = models.CharField(
        _("precision"), max_length=12, choices=Precision.choices, default=Precision.LOCALITY
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        indexes = [models.Index(fields=["organisation", "country"])]

    def __str__(self) -> str:
        return ", ".join(p for p in [self.place_name, self.subdivision, self.country] if p)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        self.country = (self.country or "").upper()
        self.subdivision = (self.subdivision or "").upper()
        if self.subdivision:
            sub = pycountry.subdivisions.get(code=self.subdivision)
            if sub is None:
                errors["subdivision"] = str(
                    _("%(code)r is not an ISO 3166-2 subdivision code.")
                    % {"code": self.subdivision}
                )
            elif sub.country_code != self.country:
                errors["subdivision"] = str(
                    _("%(code)r is not a subdivision of %(country)s.")
                    % {"code": self.subdivision, "country": self.country}
                )
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude" if self.longitude is None else "latitude"] = str(
                _("Give both latitude and longitude, or neither.")
            )
        if errors:
            raise ValidationError(errors)

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None
