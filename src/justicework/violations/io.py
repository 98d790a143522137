"""Import and export of violations (the row schema ``dataio`` uses; found by autodiscovery).

One row is one violation. Rows that share an ``incident_ref`` belong to one incident: the first
import of a reference creates the incident (and its place), later rows and later imports add to
it. A victim is an existing person (``victim_code``) or a new one (``victim_name``, ``victim_sex``,
``victim_date_of_birth``: checked by the identity schema, encrypted, blind-indexed). The writes
are the bulk actions: the single actions' checks, one audit entry per record, reindex per chunk.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from justicework.core.actors import Requester
from justicework.core.bulk import insert_rows, writes
from justicework.core.models import Organisation, User
from justicework.dataio import schema as schemas
from justicework.dataio.models import ImportedRow
from justicework.dataio.schema import ParsedRow, RowProblem
from justicework.encryption.keyring import blind_index_key
from justicework.violations import (
    actions,
    import_decisions,
    import_duplicates,
    import_origin,
    import_units,
    import_victims,
)
from justicework.violations.dates import date_problems
from justicework.violations.identity import LENGTHS
from justicework.violations.import_updates import ViolationUpdates
from justicework.violations.indexing import (
    index_new_incidents,
    reindex_incidents,
    remembered_places,
)
from justicework.violations.io_export import ViolationExport
from justicework.violations.io_fields import violation_fields
from justicework.violations.models import (
    DatePrecision,
    Incident,
    Location,
    Person,
    Violation,
)

writes(ImportedRow)  # the row keys of an import (core.bulk.insert_rows)

KIND = "violations"
#: The shipped mapping that reads an export of violations back (``data/mappings``).
EXPORT_MAPPING = "justicework-export"
SHIPPED_MAPPINGS = Path(__file__).resolve().parent / "data" / "mappings"
INCIDENT_KEY_KIND = "violations.incident"
_NAME_LENGTH, _SEX_LENGTH = LENGTHS["full_name"], LENGTHS["sex"]  # the identity schema's bounds
T = TypeVar("T")


def _rows_or_errors(numbers: list[int], write: Callable[[], list[T]]) -> list[T]:
    """``write()``, its ``BulkRowErrors`` (indexes into ``numbers``) as row errors."""
    try:
        return write()
    except actions.BulkRowErrors as exc:
        raise ValidationError(
            [f"row {numbers[i]}, {name}: {message}" for i, name, message in exc.rows]
        ) from exc


class ViolationSchema(ViolationExport, ViolationUpdates, schemas.Schema):
    kind = KIND
    label = gettext_lazy("Violations")
    import_action = "bulk_create_violations"

    def __init__(self) -> None:
        self.namespace = KIND
        self.fields = violation_fields(())

    def shipped_mappings(self) -> dict[str, Path]:
        """``justicework-export``: reads this app's own export (CSV, XLSX, JSON) back."""
        return {EXPORT_MAPPING: SHIPPED_MAPPINGS / f"{EXPORT_MAPPING}.json"}

    def configure(self, namespace: str, date_formats: tuple[str, ...]) -> None:
        self.namespace = namespace
        self.fields = violation_fields(date_formats)

    def prepare(self, organisation: Organisation) -> None:
        # Looked up here (the caller's process and connection) for prepare_rows.
        self._index_key = blind_index_key()
        self._finder = import_duplicates.DuplicateFinder(organisation, self._index_key)
        self._referenced = import_victims.Referenced(organisation, self.namespace)

    # --- likely duplicate persons (the dry run: ``import_duplicates``) ---------------------

    def flag_chunk(self, organisation: Organisation, rows: list[ParsedRow]) -> list[Any]:
        # A row whose reference names a victim already is that victim, not a likely duplicate.
        return list(self._finder.flags(self._referenced.fresh(rows)))

    def keep_flags(self, run: Any, flags: list[Any]) -> None:
        import_duplicates.keep(run, flags)

    def describe_flags(
        self, user: Requester, organisation: Organisation, flags: list[Any]
    ) -> list[str]:
        return import_duplicates.describe(user, organisation, flags)

    def stored_flags(self, run: Any) -> list[Any]:
        return import_duplicates.stored(run)

    #: The run page's panel of flagged rows, each with its decision (``import_decisions``).
    flags_template = "violations/partials/run_duplicates.html"

    def flag_items(self, user: Requester, run: Any) -> list[Any]:
        return import_decisions.flagged_rows(user, run)

    def prepare_run(self, actor: Requester, run: Any) -> None:
        # The decisions taken on the dry run, checked before anything is written.
        self._decisions = import_decisions.load(actor, run)

    def prepare_commit(self, organisation: Organisation) -> None:
        # The data key new victims are encrypted with ahead (created here, in the import's
        # transaction, if the organisation has none yet: the first write would create it).
        self._sealer = actions.identity_sealer(organisation.pk, create=True)

    @staticmethod
    def _identity(values: dict[str, Any]) -> dict[str, Any] | None:
        """A new victim's identity item for ``bulk_create_persons`` (None: no new victim)."""
        if not any(values.get(name) for name in NEW_VICTIM_FIELDS):
            return None
        age = values.get("victim_age")  # the age the source gives: matched by later imports
        return {
            "status": values.get("victim_status") or Person.Status.UNKNOWN,
            "full_name": values.get("victim_name") or None,
            "sex": values.get("victim_sex") or None,
            "gender_identity": values.get("victim_gender_identity") or None,
            "ethnicity": values.get("victim_ethnicity") or None,
            "date_of_birth": values.get("victim_date_of_birth"),
            "age_range": {"min": age, "max": age} if age is not None else None,
        }

    def prepare_rows(self, rows: list[ParsedRow]) -> None:
        """New victims' identities cleaned, blind-indexed and encrypted ahead, each with a code
        drawn ahead (no database: the writer checks the codes are free and the key still
        active)."""
        index_key = getattr(self, "_index_key", None)
        if index_key is None:
            return
        sealer = getattr(self, "_sealer", None)
        identities = [(row, self._identity(row.values)) for row in rows]
        wanted = [(row, identity) for row, identity in identities if identity is not None]
        codes = actions.draw_codes(actions.PERSON_CODE_PREFIX, len(wanted))
        for (row, identity), code in zip(wanted, codes, strict=True):
            row.prepared = actions.prepare_identity(identity, index_key, code=code, sealer=sealer)

    # --- validation -----------------------------------------------------------------------

    def check_chunk(self, organisation: Organisation, rows: list[ParsedRow]) -> list[RowProblem]:
        problems: list[RowProblem] = []
        codes = {r.values["victim_code"] for r in rows if r.values.get("victim_code")}
        known = set(
            Person.objects.filter(organisation=organisation, code__in=sorted(codes)).values_list(
                "code", flat=True
            )
        )
        for row in rows:
            v = row.values
            code = v.get("victim_code")
            if code and code not in known:
                problems.append(
                    RowProblem(
                        row.number, "victim_code", _("No person has the code %(c)s.") % {"c": code}
                    )
                )
            if code and (v.get("victim_name") or v.get("victim_date_of_birth")):
                problems.append(
                    RowProblem(
                        row.number,
                        "victim_name",
                        _("Give either a victim code or a new victim's identity, not both."),
                    )
                )
            problems.extend(_new_victim_problems(row))
            if (v.get("latitude") is None) != (v.get("longitude") is None):
                problems.append(
                    RowProblem(row.number, "longitude", _("Give both latitude and longitude."))
                )
            problems.extend(_place_problems(row))
            problems.extend(self._date_problems(row))
        problems.extend(import_units.check_units(organisation, self.namespace, rows))
        problems.extend(import_victims.check_refs(rows))
        return problems

    @staticmethod
    def _date_problems(row: ParsedRow) -> list[RowProblem]:
        """The record's date rule on a row's dates; a row without a date takes its incident's."""
        v = row.values
        start, precision = v["date"] if v.get("date") else (None, None)
        end = v.get("end_date")
        found = date_problems(start, end, DatePrecision.RANGE if end else precision, inherits=True)
        column = {"start_date": "date", "end_date": "end_date"}
        return [RowProblem(row.number, column[f], message) for f, message in found.items()]

    # --- commit ---------------------------------------------------------------------------

    def _incident_hash(self, ref: str) -> str:
        return hashlib.sha256(f"{self.namespace}\x1f{ref}".encode()).hexdigest()

    def _incidents(
        self, actor: User | None, organisation: Organisation, rows: list[ParsedRow]
    ) -> tuple[dict[str, Incident], dict[int, Location], list[Incident]]:
        """The incident of every reference in ``rows``: found by its stable key, or created;
        the first place of each, and the incidents created here."""
        own = import_origin.existing_incidents(organisation, rows)
        rows = [r for r in rows if r.values["incident_ref"] not in own]
        refs = {
            r.values["incident_ref"]: self._incident_hash(r.values["incident_ref"]) for r in rows
        }
        known = dict(
            ImportedRow.objects.filter(
                organisation=organisation, kind=INCIDENT_KEY_KIND, key_hash__in=list(refs.values())
            ).values_list("key_hash", "object_id")
        )
        by_pk = Incident.objects.in_bulk([int(pk) for pk in known.values()])
        result: dict[str, Incident] = dict(own)
        first_rows: dict[str, ParsedRow] = {}
        for row in rows:
            ref = row.values["incident_ref"]
            pk = known.get(refs[ref])
            if pk is not None and int(pk) in by_pk:
                result[ref] = by_pk[int(pk)]
            else:
                first_rows.setdefault(ref, row)
        if not first_rows:
            return result, self._places(result), []
        refs_in_order = list(first_rows)
        incident_rows = [self._incident_row(first_rows[ref]) for ref in refs_in_order]
        # Reindexed once the chunk's violations and units are added (commit_chunk).
        new = _rows_or_errors(
            [first_rows[ref].number for ref in refs_in_order],
            lambda: actions.bulk_create_incidents(
                actor, organisation, incident_rows, source="import", reindex=False
            ),
        )
        for ref, incident in zip(refs_in_order, new, strict=True):
            result[ref] = incident
        insert_rows(
            ImportedRow,
            ["organisation_id", "kind", "key_hash", "object_id", "run_id"],
            [
                (organisation.pk, INCIDENT_KEY_KIND, refs[ref], str(result[ref].pk), None)
                for ref in refs_in_order
            ],
        )
        return result, self._places(result), new

    @staticmethod
    def _incident_row(row: ParsedRow) -> dict[str, Any]:
        """``bulk_create_incidents``'s row for the first import row of a new reference."""
        v = row.values
        start, precision = v["date"] if v.get("date") else (None, DatePrecision.UNKNOWN)
        item: dict[str, Any] = {
            "title": v["incident_title"],
            "description": v.get("incident_description") or "",
            "country": v.get("country") or "",
            "context": v.get("context") or Incident.Context.NONE_KNOWN,
            "external_ref": v.get("incident_external_ref") or "",
            "start_date": start,
            "end_date": v.get("end_date"),
            "date_precision": DatePrecision.RANGE if v.get("end_date") else precision,
            "date_approximate": bool(v.get("date_approximate")),
        }
        if v.get("country"):
            place = {
                "country": v["country"],
                "subdivision": v.get("subdivision") or "",
                "place_name": v.get("place_name") or "",
                "latitude": v.get("latitude"),
                "longitude": v.get("longitude"),
            }
            if v.get("location_precision"):
                place["precision"] = v["location_precision"]
            item["locations"] = [place]
        return item

    @staticmethod
    def _places(incidents: dict[str, Incident]) -> dict[int, Location]:
        """The first place of each incident (violations of an imported row are placed there):
        kept in memory for the incidents just created, read for the others."""
        found: dict[int, Location] = {}
        stored: list[int] = []
        for incident in incidents.values():
            places = remembered_places(incident)
            if places is None:
                stored.append(incident.pk)
            elif places:
                found[incident.pk] = places[0]
        if stored:
            for location in Location.objects.filter(incident_id__in=stored).order_by("-pk"):
                found[location.incident_id] = location
        return found

    def _new_persons(
        self,
        actor: User | None,
        organisation: Organisation,
        rows: list[ParsedRow],
        refs: import_victims.Victims,
    ) -> dict[int, actions.NewPerson]:
        """Create the new victims named in ``rows`` (row number → person) with
        ``actions.bulk_create_persons``: validation, encryption, blind indexes and audit."""
        wanted: list[ParsedRow] = []
        identities: list[Any] = []
        decisions = self._decided()
        for row in rows:
            if decisions.linked(row.number) or refs.named(row):
                continue  # an existing person (``import_decisions``) or another row's
            if isinstance(row.prepared, actions.PreparedIdentity):
                wanted.append(row)
                identities.append(row.prepared)
                continue
            identity = self._identity(row.values)
            if identity is not None:
                wanted.append(row)
                identities.append(identity)
        if not wanted:
            return {}
        try:
            persons = actions.bulk_create_persons(
                actor, organisation, identities, source="import", instances=False
            )
        except actions.BulkRowErrors as exc:
            raise ValidationError(
                [f"row {wanted[i].number}, {name}: {message}" for i, name, message in exc.rows]
            ) from exc
        return {row.number: person for row, person in zip(wanted, persons, strict=True)}

    def _decided(self) -> import_decisions.Decisions:
        decisions: import_decisions.Decisions | None = getattr(self, "_decisions", None)
        if decisions is None:
            decisions = self._decisions = import_decisions.Decisions()
        return decisions

    def _link_decided(self, rows: list[ParsedRow], victims: dict[int, Any]) -> None:
        """The victims of rows linked to an existing person or to an earlier row's person,
        in row order (an earlier row of the same chunk is resolved first)."""
        decisions = self._decided()
        if not (decisions.persons or decisions.rows):
            return
        for row in rows:
            linked = decisions.victim(row.number)
            if linked is not None:
                victims[row.number] = linked
            decisions.remember(row.number, victims.get(row.number))

    @staticmethod
    def _violation_row(
        row: ParsedRow,
        incident: Incident,
        place: Location | None,
        victim: actions.NewPerson | None,
    ) -> dict[str, Any]:
        """``bulk_create_violations``'s row for an import row."""
        v = row.values
        item: dict[str, Any] = {
            "incident": incident,
            "type": v["type"],
            "method": v.get("method") or "",
            "description": v.get("description") or "",
            "consequences": v.get("consequences") or "",
            "victim_age": v.get("victim_age"),
            "victim_outcome": v.get("victim_outcome") or Violation.VictimOutcome.UNKNOWN,
        }
        # Only when given: a violation given no date field at all takes its incident's dates
        # (``inherit_dates``); a False here counted as a date and left it without one.
        if v.get("date_approximate"):
            item["date_approximate"] = True
        if v.get("date"):
            start, precision = v["date"]
            item["start_date"] = start
            item["date_precision"] = DatePrecision.RANGE if v.get("end_date") else precision
            if v.get("end_date"):
                item["end_date"] = v["end_date"]
        if place is not None:
            item["location"] = place
        if victim is not None:
            item["victim"] = victim
        elif v.get("victim_code"):
            item["victim"] = v["victim_code"]
        return item

    def commit_chunk(
        self, actor: User | None, organisation: Organisation, rows: list[ParsedRow]
    ) -> list[str]:
        """The rows' records; a row of this organisation's own export whose violation exists
        is that violation (``import_origin``): nothing written for it."""
        linked = import_origin.existing_violations(organisation, rows)
        if not linked:
            return self._create(actor, organisation, rows)
        created = iter(self._create(actor, organisation, [r for r in rows if id(r) not in linked]))
        return [str(linked[id(r)]) if id(r) in linked else next(created) for r in rows]

    def _create(
        self, actor: User | None, organisation: Organisation, rows: list[ParsedRow]
    ) -> list[str]:
        if not rows:
            return []
        incidents, places, new_incidents = self._incidents(actor, organisation, rows)
        refs = import_victims.Victims(organisation, self.namespace, rows)
        victims = self._new_persons(actor, organisation, rows, refs)
        units = import_units.resolve_units(actor, organisation, self.namespace, rows)
        self._link_decided(rows, victims)
        refs.assign(rows, victims)  # rows naming the same victim by the source's id: one person
        bulk_rows = []
        for row in rows:
            incident = incidents[row.values["incident_ref"]]
            place = places.get(incident.pk)
            bulk_rows.append(self._violation_row(row, incident, place, victims.get(row.number)))
        # One reindex of the chunk's incidents, once their units are attributed too.
        created = _rows_or_errors(
            [r.number for r in rows],
            lambda: actions.bulk_create_violations(actor, organisation, bulk_rows, reindex=False),
        )
        attributions = import_units.perpetration_rows(rows, created, units)
        if attributions:
            _rows_or_errors(
                [r.number for r in rows if r.values.get("perpetrator_unit_ref")],
                lambda: actions.bulk_create_perpetrations(
                    actor, organisation, attributions, reindex=False, instances=False
                ),
            )
        # New incidents are indexed from memory (all their violations and units are here).
        index_new_incidents(
            new_incidents,
            [(v.incident_id, v.type, v.description) for v in created],
            [(a["violation"].incident_id, a["unit"].name) for a in attributions],
        )
        fresh = {incident.pk for incident in new_incidents}
        reindex_incidents({v.incident_id for v in created} - fresh)
        return [str(v.pk) for v in created]


#: The columns that describe a new victim (one of them filled: a person is created).
NEW_VICTIM_FIELDS = (
    "victim_ref",
    "victim_name",
    "victim_sex",
    "victim_date_of_birth",
    "victim_gender_identity",
    "victim_ethnicity",
    "victim_status",
)


def _new_victim_problems(row: ParsedRow) -> list[RowProblem]:
    """A new victim's gender identity, ethnicity or status beside an existing victim's code."""
    if not row.values.get("victim_code"):
        return []
    return [
        RowProblem(
            row.number,
            name,
            _("This describes a new victim: leave it empty when the row gives a victim code."),
        )
        for name in ("victim_gender_identity", "victim_ethnicity", "victim_status")
        if row.values.get(name)
    ]


def _place_problems(row: ParsedRow) -> list[RowProblem]:
    """A subdivision outside the row's country; place details on a row without a country."""
    v = row.values
    problems: list[RowProblem] = []
    country = v.get("country")
    sub = v.get("subdivision")
    if sub and country and not sub.startswith(f"{country}-"):
        problems.append(
            RowProblem(
                row.number,
                "subdivision",
                _("%(code)r is not a subdivision of %(country)s.")
                % {"code": sub, "country": country},
            )
        )
    if not country:
        for name in ("subdivision", "location_precision"):
            if v.get(name):
                problems.append(
                    RowProblem(row.number, name, _("A place needs its country: give the country."))
                )
    return problems


schemas.register(KIND, ViolationSchema)
