"""Who did what to whom, when and where (HURIDOCS "events" concepts, DESIGN 5).

* :class:`Incident` — an event with fuzzy dates, locations, a context, a status and a sensitivity.
* :class:`Violation` — one act against one victim (a person) or one group, within an incident.
* :class:`Person` — a pseudonymous code everywhere; identity fields encrypted, blind-indexed in
  :class:`PersonIndex`. Roles (victim, witness, source) are links: :class:`PersonRole`;
  perpetrators are :class:`Perpetration` links.
* :class:`VictimGroup` — a counting unit (a village, a family) with a number of persons.
* :class:`Unit` — state forces, police, armed groups; hierarchy and :class:`UnitCommander`
  over time.
* :class:`Source` — testimony, document, media, open-source item, official record, with the
  Admiralty-style reliability (A to F) and credibility (1 to 6).

Every record carries its owning organisation (denormalised on children so the policy and the
encryption key scope need no join). Writes go through ``violations.actions`` only.
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

from justicework.encryption.fields import (
    BlindIndexField,
    EncryptedDateField,
    EncryptedJSONField,
    EncryptedTextField,
)
from justicework.violations import vocabularies
from justicework.violations.dates import DatePrecision as DatePrecision
from justicework.violations.dates import date_problems
from justicework.violations.vocabularies import VocabularyValidator


def validate_country(value: str) -> None:
    if value and pycountry.countries.get(alpha_2=value) is None:
        raise ValidationError(
            _("%(code)r is not an ISO 3166-1 alpha-2 country code."), params={"code": value}
        )


class FuzzyDates(models.Model):
    """Dates with uncertainty: a start and an end, how precise they are, whether approximate.

    ``precision=month`` means only the month of ``start_date`` is known (the day is stored as 1);
    ``range`` means the act happened at some time between ``start_date`` and ``end_date``.
    """

    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    date_precision = models.CharField(
        _("date precision"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    date_approximate = models.BooleanField(_("approximate date"), default=False)

    class Meta:
        abstract = True

    def clean_dates(self) -> None:
        problems = date_problems(self.start_date, self.end_date, self.date_precision)
        if problems:
            raise ValidationError(problems)

    def clean(self) -> None:
        super().clean()
        self.clean_dates()


class Incident(FuzzyDates):
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


class Person(models.Model):
    """A person known to the documentation: victim, witness, source, perpetrator, commander.

    Only ``code`` (a random pseudonym, never derived from the identity) is shown by default.
    Identity fields are encrypted with the owning organisation's key and opened only through
    ``actions.reveal_identity`` (need-to-know, audited).
    """

    class Status(models.TextChoices):
        UNKNOWN = "unknown", _("Unknown")
        ALIVE = "alive", _("Alive")
        DECEASED = "deceased", _("Deceased")
        MISSING = "missing", _("Missing")

    #: Encrypted identity fields (never in audit diffs, logs, search indexes or exports
    #: without reveal). ``names`` is a list of {"name", "script", "language", "transliteration"}.
    IDENTITY_FIELDS = (
        "full_name",
        "names",
        "other_names",
        "date_of_birth",
        "age_range",
        "sex",
        "gender_identity",
        "nationalities",
        "ethnicity",
        "religion",
        "languages",
        "contacts",
        "identity_documents",
    )

    # No index of its own: the unique (organisation, code) index leads with it.
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="persons", db_index=False
    )
    code = models.CharField(_("code"), max_length=16)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.UNKNOWN
    )
    full_name = EncryptedTextField(_("full name"))
    names = EncryptedJSONField(_("names in several scripts"))
    other_names = EncryptedJSONField(_("other names, aliases"))
    date_of_birth = EncryptedDateField(_("date of birth"))
    age_range = EncryptedJSONField(_("age range"))
    sex = EncryptedTextField(_("sex"))
    gender_identity = EncryptedTextField(_("gender identity"))
    nationalities = EncryptedJSONField(_("nationalities"))
    ethnicity = EncryptedTextField(_("ethnicity"))
    religion = EncryptedTextField(_("religion"))
    languages = EncryptedJSONField(_("languages"))
    contacts = EncryptedJSONField(_("contacts"))
    identity_documents = EncryptedJSONField(_("identity documents"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        ordering = ["code"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="person_code_per_org")
        ]

    def __str__(self) -> str:
        return self.code


class PersonIndex(models.Model):
    """Blind index values of a person's identity, for exact-match duplicate look-ups.

    One row per (kind, value): a person has several names, scripts and documents.
    """

    class Kind(models.TextChoices):
        NAME = "name", _("Name")
        NAME_KEY = "name_key", _("Transliterated name key")
        DATE_OF_BIRTH = "dob", _("Date of birth")
        DOCUMENT = "document", _("Identity document number")

    # No single-column indexes: organisation leads (organisation, kind, value), person leads the
    # unique (person, kind, value), and look-ups by value name the kind (possible_duplicates).
    # Each index on a random HMAC costs every import a random write per row.
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="index_values", db_index=False
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    value = BlindIndexField(db_index=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "value"], name="person_index_value_once"
            )
        ]
        indexes = [models.Index(fields=["organisation", "kind", "value"])]

    def __str__(self) -> str:
        return f"{self.person_id}:{self.kind}"


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


class Source(models.Model):
    """Where information comes from, graded on the Admiralty scale: reliability of the source
    (A to F) and credibility of the information (1 to 6)."""

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="sources"
    )
    kind = models.CharField(
        _("type of source"), max_length=40, validators=[VocabularyValidator("source_types")]
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    reliability = models.CharField(
        _("reliability of the source"),
        max_length=1,
        default="F",
        validators=[VocabularyValidator("source_reliability")],
    )
    credibility = models.CharField(
        _("credibility of the information"),
        max_length=1,
        default="6",
        validators=[VocabularyValidator("information_credibility")],
    )
    language = models.CharField(_("language"), max_length=8, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    url = models.URLField(_("address (open source)"), max_length=1000, blank=True)
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sources_given",
        verbose_name=_("person who gave it"),
    )
    incidents = models.ManyToManyField(Incident, blank=True, related_name="sources")
    violations = models.ManyToManyField(Violation, blank=True, related_name="sources")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "pk"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.language:
            lang = self.language.split("-")[0]
            if (
                pycountry.languages.get(alpha_2=lang) is None
                and pycountry.languages.get(alpha_3=lang) is None
            ):
                raise ValidationError(
                    {"language": _("%(code)r is not an ISO 639 language code.") % {"code": lang}}
                )

    @property
    def grade(self) -> str:
        """The combined grade, e.g. ``B2``."""
        return f"{self.reliability}{self.credibility}"
