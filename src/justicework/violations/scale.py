"""``justicework demo --scale N``: N violations, fast, for benchmarks.

Generated straight into the tables with ``bulk_create`` in batches (no per-row validation:
the values come from the vocabularies and valid ranges here). Person identities are encrypted
and blind-indexed as usual (a reusable pool of persons); incidents are put in the search
index. The audit log gets one entry per batch (``violations.scale.generated`` with the id
ranges), not one per row: this is synthetic benchmark data, not documentation.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from random import Random
from typing import Any

from django.db import transaction
from django.utils import timezone

from justicework import search
from justicework.audit.chain import record
from justicework.core.models import Organisation
from justicework.violations import actions, vocabularies
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
    rnd = Random(seed)  # noqa: S311  # synthetic data, not secrets
    units = _units(organisation, rnd)
    pool = _persons(organisation, min(MAX_POOL, max(50, count // 10)), rnd)
    types = [t.code for t in vocabularies.get("violation_types").leaves()]
    methods = [t.code for t in vocabularies.get("methods").leaves()]
    involvement = [t.code for t in vocabularies.get("involvement_degrees")]
    outcomes = Violation.VictimOutcome.values
    done = incidents_total = 0
    while done < count:
        size = min(batch, count - done)
        incidents_total += _batch(
            organisation, size, rnd, units, pool, types, methods, involvement, outcomes
        )
        done += size
        write(f"  {done:,} / {count:,} violations")
    seconds = time.perf_counter() - started
    return ScaleResult(done, incidents_total, len(pool), seconds)


@transaction.atomic
def _batch(
    organisation: Organisation,
    size: int,
    rnd: Random,
    units: list[Unit],
    pool: list[Person],
    types: list[str],
    methods: list[str],
    involvement: list[str],
    outcomes: list[str],
) -> int:
    now = timezone.now()
    org_id = organisation.pk
    n_incidents = max(1, size // VIOLATIONS_PER_INCIDENT)
    incidents = []
    for _ in range(n_incidents):
        start = dt.date(2015, 1, 1) + dt.timedelta(days=rnd.randrange(3800))
        country = rnd.choice(COUNTRIES)
        incidents.append(
            Incident(
                organisation_id=org_id,
                title=f"{rnd.choice(PLACES)} incident {rnd.randrange(10**6)}",
                country=country,
                context=rnd.choice(Incident.Context.values),
                status=rnd.choice(Incident.Status.values),
                start_date=start,
                created_at=now,
                updated_at=now,
            )
        )
    Incident.objects.bulk_create(incidents, batch_size=2000)
    locations = [
        Location(
            organisation_id=org_id,
            incident=incident,
            country=incident.country,
            place_name=rnd.choice(PLACES),
            latitude=round(rnd.uniform(-40, 60), 4),
            longitude=round(rnd.uniform(-80, 100), 4),
        )
        for incident in incidents
    ]
    Location.objects.bulk_create(locations, batch_size=2000)
    violations = []
    for index in range(size):
        incident = incidents[index % n_incidents]
        violations.append(
            Violation(
                organisation_id=org_id,
                incident=incident,
                location=locations[index % n_incidents],
                type=rnd.choice(types),
                method=rnd.choice(methods),
                victim_outcome=rnd.choice(outcomes),
                victim_age=rnd.randrange(1, 90),
                start_date=incident.start_date,
                created_at=now,
                updated_at=now,
            )
        )
    Violation.objects.bulk_create(violations, batch_size=2000)
    PersonRole.objects.bulk_create(
        [
            PersonRole(
                organisation_id=org_id,
                violation=v,
                person=rnd.choice(pool),
                role=PersonRole.Role.VICTIM,
                created_at=now,
            )
            for v in violations
            if rnd.random() < 0.6
        ],
        batch_size=2000,
    )
    Perpetration.objects.bulk_create(
        [
            Perpetration(
                organisation_id=org_id,
                violation=v,
                unit=rnd.choice(units),
                involvement=rnd.choice(involvement),
                created_at=now,
            )
            for v in violations
            if rnd.random() < 0.5
        ],
        batch_size=2000,
    )
    types_of: dict[int, set[str]] = {}
    for v in violations:
        types_of.setdefault(v.incident_id, set()).add(v.type)
    for incident, location in zip(incidents, locations, strict=True):
        incident._search_locations = [location]  # type: ignore[attr-defined]  # read by incident_text
        incident._search_extra = (types_of.get(incident.pk, set()), set())  # type: ignore[attr-defined]  # same
    search.index_many(Incident, incidents, batch_size=2000)
    record(
        None,
        "violations.scale.generated",
        organisation,
        organisation_id=org_id,
        diff={
            "violations": size,
            "incidents": n_incidents,
            "violation_ids": [violations[0].pk, violations[-1].pk],
            "incident_ids": [incidents[0].pk, incidents[-1].pk],
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
