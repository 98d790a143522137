"""``justicework demo --scale N``: N violations, fast, for benchmarks.

Generated straight into the tables with ``INSERT ... executemany`` in batches (no per-row
validation: the values come from the vocabularies and valid ranges here). Person identities
are encrypted and blind-indexed as usual (a reusable pool of persons); incidents are put in
the search index. The audit log gets one entry per batch (``violations.scale.generated`` with the id
ranges), not one per row: this is synthetic benchmark data, not documentation.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from random import Random
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from justicework import search
from justicework.audit.chain import record
from justicework.core import bulk
from justicework.core.models import Organisation
from justicework.violations import actions, vocabularies
from justicework.violations.indexing import SearchExtra
from justicework.violations.models import (
    Incident,
    Location,
    Perpetration,
    Person,
    PersonRole,
    Unit,
    Violation,
)

VIOLATIONS_PER_INCIDENT = 3
BATCH = 15000  # violations per transaction
MAX_POOL = 20000  # persons reused as victims
COUNTRIES = ("UA", "CD", "CO", "SY", "MM", "IQ", "GE", "VE", "YE", "CF")
FIRST = ("Anna", "Olena", "Ivan", "Marie", "Jean", "Lucía", "Carlos", "Amina", "Omar", "Fatima")
LAST = ("Kovalenko", "Petrenko", "Mukendi", "Ilunga", "García", "Rojas", "Haddad", "Khalil")
PLACES = ("Northfield", "Riverside", "Hill Camp", "Old Market", "Lakeside", "East Gate")


@dataclass
class ScaleResult:
    violations: int
    incidents: int
    persons: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.violations / self.seconds if self.seconds else 0.0


def _units(organisation: Organisation, rnd: Random) -> list[Unit]:
    units = list(Unit.objects.filter(organisation=organisation)[:200])
    if units:
        return units
    kinds = [t.code for t in vocabularies.get("perpetrator_types").leaves()]
    return [
        actions.create_unit(None, organisation, name=f"Benchmark unit {i}", kind=rnd.choice(kinds))
        for i in range(20)
    ]


def _persons(organisation: Organisation, count: int, rnd: Random) -> list[Person]:
    existing = list(Person.objects.filter(organisation=organisation).only("pk", "code")[:count])
    missing = count - len(existing)
    if missing <= 0:
        return existing
    identities = [
        {
            "full_name": f"{rnd.choice(FIRST)} {rnd.choice(LAST)}",
            "date_of_birth": dt.date(1940, 1, 1) + dt.timedelta(days=rnd.randrange(27000)),
            "sex": rnd.choice(["female", "male"]),
        }
        for _ in range(missing)
    ]
    created: list[Person] = []
    for start in range(0, missing, 5000):
        created += actions.bulk_create_persons(None, organisation, identities[start : start + 5000])
    return existing + created


def generate(
    organisation: Organisation,
    count: int,
    *,
    seed: int = 1,
    batch: int = BATCH,
    write: Callable[[str], Any] = print,
) -> ScaleResult:
    """Add ``count`` violations (and about ``count / 3`` incidents) to ``organisation``."""
    if count <= 0:
        raise ValueError("--scale needs a positive number of violations.")
    started = time.perf_counter()
    rnd = Random(seed)  # synthetic data, not secrets
    units = _units(organisation, rnd)
    pool = _persons(organisation, min(MAX_POOL, max(50, count // 10)), rnd)
    pools = _Pools(
        units=units,
        persons=pool,
        types=[t.code for t in vocabularies.get("violation_types").leaves()],
        methods=[t.code for t in vocabularies.get("methods").leaves()],
        involvement=[t.code for t in vocabularies.get("involvement_degrees")],
        outcomes=list(Violation.VictimOutcome.values),
    )
    done = incidents_total = 0
    while done < count:
        size = min(batch, count - done)
        incidents_total += _batch(organisation, size, rnd, pools)
        done += size
        write(f"  {done:,} / {count:,} violations")
    analyze()
    seconds = time.perf_counter() - started
    return ScaleResult(done, incidents_total, len(pool), seconds)


def analyze() -> None:
    """Refresh the planner statistics of the tables just filled: without them SQLite picks
    the period index for "country + period, newest first" lists and sorts a million rows
    (figures: docs/benchmarks.md)."""
    with connection.cursor() as cursor:
        for model in (Incident, Location, Violation, PersonRole, Perpetration):
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')


@transaction.atomic
@dataclass(frozen=True)
class _Pools:
    """What a batch draws from: the organisation's units and persons, and the vocabularies."""

    units: list[Unit]
    persons: list[Person]
    types: list[str]
    methods: list[str]
    involvement: list[str]
    outcomes: list[str]


_INCIDENT_COLUMNS = [
    "id", "organisation_id", "title", "description", "country", "context", "status",
    "sensitivity", "created_at", "updated_at", "start_date", "date_precision", "date_approximate",
]  # fmt: skip
_LOCATION_COLUMNS = [
    "id", "organisation_id", "incident_id", "country", "subdivision", "place_name", "latitude",
    "longitude", "precision",
]  # fmt: skip
_VIOLATION_COLUMNS = [
    "id", "organisation_id", "incident_id", "type", "method", "location_id", "description",
    "consequences", "victim_age", "victim_outcome", "created_at", "updated_at", "start_date",
    "date_precision", "date_approximate",
]  # fmt: skip


def _write_incidents(
    org_id: int, rnd: Random, now: Any, incident_ids: list[int], location_ids: list[int]
) -> tuple[list[Incident], list[Any]]:
    """Incidents with one place each; the unsaved instances (for the index) and start dates."""
    ops = connection.ops
    incidents: list[Incident] = []
    incident_rows, location_rows, starts = [], [], []
    for pk, location_id in zip(incident_ids, location_ids, strict=True):
        start = ops.adapt_datefield_value(
            dt.date(2015, 1, 1) + dt.timedelta(days=rnd.randrange(3800))
        )
        country = rnd.choice(COUNTRIES)
        title = f"{rnd.choice(PLACES)} incident {rnd.randrange(10**6)}"
        place = rnd.choice(PLACES)
        starts.append(start)
        status = rnd.choice(Incident.Status.values)
        incident_rows.append(
            (pk, org_id, title, "", country, rnd.choice(Incident.Context.values),
             status, "normal", now, now, start, "day", False)
        )  # fmt: skip
        location_rows.append(
            (location_id, org_id, pk, country, "", place,
             round(rnd.uniform(-40, 60), 4), round(rnd.uniform(-80, 100), 4), "locality")
        )  # fmt: skip
        incident = Incident(
            pk=pk, organisation_id=org_id, title=title, country=country, status=status
        )
        incident._search_locations = [Location(place_name=place, country=country)]  # type: ignore[attr-defined]  # read by incident_text
        incidents.append(incident)
    bulk.insert_rows(Incident, _INCIDENT_COLUMNS, incident_rows)
    bulk.insert_rows(Location, _LOCATION_COLUMNS, location_rows)
    return incidents, starts


def _write_violations(
    org_id: int,
    rnd: Random,
    now: Any,
    places: tuple[list[int], list[int], list[Any]],
    violation_ids: list[int],
    pools: _Pools,
) -> dict[int, set[str]]:
    """Violations spread over the batch's incidents (``places``: incident ids, their location
    ids and start dates), with victims and units; each incident's types of act."""
    incident_ids, location_ids, starts = places
    violation_rows, role_rows, perpetration_rows = [], [], []
    types_of: dict[int, set[str]] = {}
    for index, pk in enumerate(violation_ids):
        slot = index % len(incident_ids)
        incident_id = incident_ids[slot]
        kind = rnd.choice(pools.types)
        types_of.setdefault(incident_id, set()).add(kind)
        violation_rows.append(
            (pk, org_id, incident_id, kind, rnd.choice(pools.methods), location_ids[slot], "",
             "", rnd.randrange(1, 90), rnd.choice(pools.outcomes), now, now, starts[slot], "day",
             False)
        )  # fmt: skip
        if rnd.random() < 0.6:
            victim = rnd.choice(pools.persons).pk
            role_rows.append((org_id, pk, victim, PersonRole.Role.VICTIM.value, now))
        if rnd.random() < 0.5:
            perpetration_rows.append(
                (org_id, pk, rnd.choice(pools.units).pk, rnd.choice(pools.involvement), "", now)
            )
    bulk.insert_rows(Violation, _VIOLATION_COLUMNS, violation_rows)
    bulk.insert_rows(
        PersonRole,
        ["organisation_id", "violation_id", "person_id", "role", "created_at"],
        role_rows,
    )
    bulk.insert_rows(
        Perpetration,
        ["organisation_id", "violation_id", "unit_id", "involvement", "note", "created_at"],
        perpetration_rows,
    )
    return types_of


def _batch(organisation: Organisation, size: int, rnd: Random, pools: _Pools) -> int:
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    org_id = organisation.pk
    n_incidents = max(1, size // VIOLATIONS_PER_INCIDENT)
    incident_ids = bulk.allocate_ids(Incident, n_incidents)
    location_ids = bulk.allocate_ids(Location, n_incidents)
    violation_ids = bulk.allocate_ids(Violation, size)
    incidents, starts = _write_incidents(org_id, rnd, now, incident_ids, location_ids)
    places = (incident_ids, location_ids, starts)
    types_of = _write_violations(org_id, rnd, now, places, violation_ids, pools)
    for incident in incidents:
        incident._search_extra = SearchExtra(types_of.get(incident.pk, set()), set(), {})  # type: ignore[attr-defined]  # read by incident_text (the violations have no description)
    search.index_many(Incident, incidents, batch_size=2000)
    record(
        None,
        "violations.scale.generated",
        organisation,
        organisation_id=org_id,
        diff={
            "violations": size,
            "incidents": n_incidents,
            "violation_ids": [violation_ids[0], violation_ids[-1]],
            "incident_ids": [incident_ids[0], incident_ids[-1]],
        },
    )
    return n_incidents


def run(ctx: Any, count: int) -> ScaleResult:
    """``justicework demo --scale N``: generate into the demo's first member organisation."""
    from django.core.management.base import CommandError

    if count <= 0:
        raise CommandError("--scale needs a positive number of violations.")
    organisation = ctx.org("member-1")
    ctx.write(f"Generating {count:,} violations for {organisation} (benchmark data)...")
    result = generate(organisation, count, seed=ctx.seed, write=ctx.write)
    ctx.write(
        f"Scale: {result.violations:,} violations, {result.incidents:,} incidents, "
        f"{result.persons:,} persons in the pool, {result.seconds:.1f} s "
        f"({result.rate:,.0f} violations/s)."
    )
    return result
