"""Export of violations: the incident list's filters, one row per act, identities redacted
unless the reader may reveal them (``ViolationSchema`` takes these methods)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any

from django.db.models import Prefetch

from justicework.core import policy
from justicework.core.models import Organisation, User
from justicework.dataio import rules as dataio_rules
from justicework.violations import queries, vocabularies
from justicework.violations.dates import DatePrecision
from justicework.violations.import_origin import origin_token
from justicework.violations.models import (
    Location,
    Perpetration,
    Person,
    PersonRole,
    Unit,
    Violation,
)

REDACTED = "[redacted]"


class ViolationExport:
    """The export half of the violations row schema."""

    #: Victims' identities and codes leave the platform in the file (``core.uses``).
    export_use = "violations.export"

    def export_columns(self, user: User, organisation: Organisation) -> list[str]:
        return list(EXPORT_COLUMNS)

    export_filter_names = tuple(
        name for name in queries.Filters.__dataclass_fields__ if name != "organisation"
    )

    def export_filters(self, filters: Mapping[str, str]) -> dict[str, str]:
        """The incident list's filters (``queries.Filters``), except the organisation: an
        export is always of the active one."""
        chosen = queries.Filters.from_text(filters).clean()
        chosen.organisation = None
        return chosen.as_text()

    def export_queryset(
        self, user: User, organisation: Organisation, filters: Mapping[str, str] | None = None
    ) -> Any:
        """The acts of the incidents the one query path finds for ``filters`` in
        ``organisation``, in id order."""
        dataio_rules.require_export(user, organisation)
        chosen = queries.Filters.from_text(filters or {})
        chosen.organisation = organisation.pk
        incidents = queries.search_incidents(user, chosen).order_by().values("pk")
        units = policy.visible(user, Unit, "view").filter(organisation=organisation)
        return (
            policy.visible(user, Violation, "view")
            .filter(organisation=organisation, incident_id__in=incidents)
            .select_related("incident", "location")
            .prefetch_related(
                Prefetch(
                    "person_roles",
                    # through the policy: a victim whose consent does not cover the export's
                    # use (core.uses) is left out of the row
                    queryset=policy.visible(user, PersonRole, "view")
                    .filter(role=PersonRole.Role.VICTIM)
                    .select_related("person")
                    .only(
                        "violation_id",
                        "person__code",
                        "person__status",
                        "person_id",
                        "person__organisation_id",
                    ),
                ),
                Prefetch("incident__locations", queryset=Location.objects.order_by("pk")),
                Prefetch(
                    "perpetrations",
                    queryset=Perpetration.objects.filter(unit__in=units.values("pk"))
                    .select_related("unit")
                    .only("violation_id", "involvement", "unit_id", "unit__name", "unit__kind")
                    .order_by("pk"),
                ),
            )
            .order_by("pk")
        )

    def export_person_ids(
        self, user: User, organisation: Organisation, filters: Mapping[str, str] | None = None
    ) -> Any:
        """The victims the export's rows name (the safety warning on the export page)."""
        acts = self.export_queryset(user, organisation, filters).values("pk")
        return (
            policy.visible(user, PersonRole, "view")
            .filter(role=PersonRole.Role.VICTIM, violation_id__in=acts)
            .values("person_id")
        )

    def export_held_back(
        self, user: User, organisation: Organisation, filters: Mapping[str, str] | None = None
    ) -> list[tuple[str, int]]:
        """Victims of the selected acts left out for lack of consent, by reason (no code: the
        page says why the file is short, not whom it leaves out)."""
        acts = self.export_queryset(user, organisation, filters).values("pk")
        roles = PersonRole.objects.filter(role=PersonRole.Role.VICTIM, violation_id__in=acts)
        reasons: dict[int, str] = {}
        for role, decision in policy.held_back(user, "view", roles):
            reasons.setdefault(role.person_id, str(decision.reason))
        return sorted(Counter(reasons.values()).items())

    def export_rows(
        self, user: User, organisation: Organisation, filters: Mapping[str, str] | None = None
    ) -> Iterator[list[Any]]:
        queryset = self.export_queryset(user, organisation, filters)
        revealable = set(
            policy.visible(user, Person, "reveal_identity")
            .filter(organisation=organisation)
            .values_list("pk", flat=True)
        )
        types = vocabularies.get("violation_types")
        origin = origin_token(organisation)
        chunk: list[Violation] = []
        for violation in queryset.iterator(chunk_size=2000):
            chunk.append(violation)
            if len(chunk) == 2000:
                yield from _export_chunk(chunk, revealable, types, origin)
                chunk = []
        if chunk:
            yield from _export_chunk(chunk, revealable, types, origin)


def _identities(chunk: list[Violation], revealable: set[int]) -> dict[int, tuple[Any, ...]]:
    """Person id → identity columns of the chunk's victims the reader may reveal (opened here,
    as the single-person reveal opens them); a victim they may not reveal is absent."""
    open_ids = [
        role.person_id
        for violation in chunk
        for role in violation.person_roles.all()
        if role.person_id in revealable
    ]
    if not open_ids:
        return {}
    rows = Person.objects.filter(pk__in=open_ids).values_list("pk", *IDENTITY_COLUMNS.values())
    return {row[0]: tuple(row[1:]) for row in rows}


def _victim(violation: Violation, identities: dict[int, tuple[Any, ...]], origin: str) -> list[Any]:
    """victim_code, victim_ref (``<origin>/<person id>``: the importer makes one person of all
    the rows that name it), victim_status and the identity columns (``[redacted]`` unless
    revealable)."""
    roles = list(violation.person_roles.all())
    if not roles:
        return ["", "", ""] + [""] * len(IDENTITY_COLUMNS)
    role = roles[0]
    opened = identities.get(role.person_id)
    shown = list(opened) if opened is not None else [REDACTED] * len(IDENTITY_COLUMNS)
    return [
        role.person.code,
        f"{origin}/{role.person_id}",
        role.person.status,
        *("" if v is None else v for v in shown),
    ]


def _units(violation: Violation, origin: str) -> list[Any]:
    """The first unit's reference (``<origin>/<unit id>``: unique across organisations, so two
    organisations' unit 12 stay apart), name, kind and involvement (re-importable), and every
    unit's name."""
    found = [p for p in violation.perpetrations.all() if p.unit is not None]
    if not found:
        return ["", "", "", "", ""]
    first = found[0]
    assert first.unit is not None
    names = "; ".join(p.unit.name for p in found if p.unit is not None)
    return [f"{origin}/{first.unit_id}", first.unit.name, first.unit.kind, first.involvement, names]


def _decimal(value: float | None) -> str:
    """A coordinate as decimal text with a full stop, never an exponent."""
    return "" if value is None else format(value, ".7f").rstrip("0").rstrip(".")


def _export_chunk(
    chunk: list[Violation], revealable: set[int], types: Any, origin: str
) -> Iterator[list[Any]]:
    identities = _identities(chunk, revealable)
    for violation in chunk:
        incident = violation.incident
        # The act's own place, else its incident's first (where the importer puts acts).
        location = violation.location or next(iter(incident.locations.all()), None)
        yield [
            violation.pk,
            incident.pk,
            f"#{incident.pk}",
            incident.external_ref,
            incident.title,
            incident.description,
            incident.status,
            incident.context,
            incident.country or (location.country if location else ""),
            location.subdivision if location else "",
            location.place_name if location else "",
            _decimal(location.latitude) if location else "",
            _decimal(location.longitude) if location else "",
            location.precision if location else "",
            violation.type,
            types.term(violation.type).label() if violation.type in types else "",
            violation.method,
            fuzzy_iso(violation.start_date, violation.date_precision),
            violation.end_date,
            violation.date_precision,
            violation.date_approximate,
            violation.description,
            violation.consequences,
            violation.victim_age,
            violation.victim_outcome,
            *_victim(violation, identities, origin),
            *_units(violation, origin),
            origin,
        ]


def fuzzy_iso(value: dt.date | None, precision: str) -> str:
    """A start date as the importer reads it back: ``2024`` (year), ``2024-03`` (month), else
    the full ISO date."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


#: The identity columns of a victim and the Person field each holds.
IDENTITY_COLUMNS = {
    "victim_name": "full_name",
    "victim_sex": "sex",
    "victim_gender_identity": "gender_identity",
    "victim_ethnicity": "ethnicity",
    "victim_date_of_birth": "date_of_birth",
}

EXPORT_COLUMNS = (
    "violation_id",
    "incident_id",
    "incident_ref",
    "incident_external_ref",
    "incident_title",
    "incident_description",
    "incident_status",
    "context",
    "country",
    "subdivision",
    "place_name",
    "latitude",
    "longitude",
    "location_precision",
    "type",
    "type_label",
    "method",
    "date",
    "end_date",
    "date_precision",
    "date_approximate",
    "description",
    "consequences",
    "victim_age",
    "victim_outcome",
    "victim_code",
    "victim_ref",
    "victim_status",
    *IDENTITY_COLUMNS,
    "perpetrator_unit_ref",
    "perpetrator_unit_name",
    "perpetrator_unit_kind",
    "perpetrator_involvement",
    "perpetrator_units",
    "export_origin",
)
