"""Export of violations: the incident list's filters, one row per act, identities redacted
unless the reader may reveal them (``ViolationSchema`` takes these methods)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.db.models import Prefetch

from justicework.core import policy
from justicework.core.models import Organisation, User
from justicework.dataio import rules as dataio_rules
from justicework.violations import queries, vocabularies
from justicework.violations.models import Person, PersonRole, Violation

REDACTED = "[redacted]"


class ViolationExport:
    """The export half of the violations row schema."""

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
        return (
            policy.visible(user, Violation, "view")
            .filter(organisation=organisation, incident_id__in=incidents)
            .select_related("incident", "location")
            .prefetch_related(
                Prefetch(
                    "person_roles",
                    queryset=PersonRole.objects.filter(role=PersonRole.Role.VICTIM)
                    .select_related("person")
                    .only("violation_id", "person__code", "person_id", "person__organisation_id"),
                )
            )
            .order_by("pk")
        )

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
        chunk: list[Violation] = []
        for violation in queryset.iterator(chunk_size=2000):
            chunk.append(violation)
            if len(chunk) == 2000:
                yield from self._export_chunk(chunk, revealable, types)
                chunk = []
        if chunk:
            yield from self._export_chunk(chunk, revealable, types)

    def _export_chunk(
        self, chunk: list[Violation], revealable: set[int], types: Any
    ) -> Iterator[list[Any]]:
        victims: dict[int, Any] = {}
        for violation in chunk:
            roles = list(violation.person_roles.all())
            victims[violation.pk] = roles[0] if roles else None
        open_ids = [
            r.person_id for r in victims.values() if r is not None and r.person_id in revealable
        ]
        names = (
            dict(Person.objects.filter(pk__in=open_ids).values_list("pk", "full_name"))
            if open_ids
            else {}
        )
        for violation in chunk:
            incident = violation.incident
            location = violation.location
            role = victims[violation.pk]
            if role is None:
                code, name = "", ""
            elif role.person_id in revealable:
                code, name = role.person.code, names.get(role.person_id) or ""
            else:
                code, name = role.person.code, REDACTED
            yield [
                violation.pk,
                incident.pk,
                incident.title,
                incident.country,
                violation.type,
                types.term(violation.type).label() if violation.type in types else "",
                violation.method,
                violation.start_date,
                violation.end_date,
                violation.date_precision,
                violation.description,
                violation.consequences,
                violation.victim_age,
                violation.victim_outcome,
                code,
                name,
                location.place_name if location else "",
                location.latitude if location else None,
                location.longitude if location else None,
            ]


EXPORT_COLUMNS = (
    "violation_id",
    "incident_id",
    "incident_title",
    "country",
    "type",
    "type_label",
    "method",
    "date",
    "end_date",
    "date_precision",
    "description",
    "consequences",
    "victim_age",
    "victim_outcome",
    "victim_code",
    "victim_name",
    "place_name",
    "latitude",
    "longitude",
)
