# Cyrillic and Arabic demo texts are meant to contain those letters
"""Demo step: a fictional documentation dataset of the violations app (registered in
``DemoConfig.ready``).

About 2,000 incidents, 6,000 violations, 4,000 persons and 150 units across 10 countries:
three fictional armed conflicts (an international one with occupation, two non-international
ones) and one situation of protest repression outside armed conflict. Titles and descriptions
are written in the documenting organisation's language (English, French, Spanish, Russian,
Ukrainian, Arabic); persons have Faker names in Latin, Cyrillic and Arabic scripts with a
transliteration. Nothing here is about a real person or a real armed group.

Everything goes through the app's bulk actions (validation, encryption, blind indexes, audit,
search index), with ``actor=None`` (the system).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pycountry

from justicework.demo.violations_data import (
    ARABIC_PLACES,
    BOXES,
    CONFLICTS,
    DESCRIPTIONS,
    EVENT_TYPES,
    LANGUAGE_OF_LOCALE,
    METHODS,
    OUTCOMES,
    SCRIPT_OF_LOCALE,
    SOURCE_KINDS,
    TITLES,
    Conflict,
)
from justicework.violations import actions, translit
from justicework.violations.models import Incident, Person, Unit

if TYPE_CHECKING:
    from random import Random

    from faker import Faker

    from justicework.core.models import Organisation
    from justicework.demo import DemoContext

INCIDENTS = 2000
VIOLATIONS_PER_INCIDENT = (1, 5)  # uniform: about 3 on average, 6,000 in all
PERSONS = 4000
SOURCES_SHARE = 0.25


def _subdivisions(country: str) -> list[str]:
    subs = pycountry.subdivisions.get(country_code=country) or []
    return sorted(s.code for s in subs if getattr(s, "parent_code", None) is None)


def _place(faker: Faker, locale: str, rnd: Random) -> str:
    if locale == "ar_AA":
        return rnd.choice(ARABIC_PLACES).format(n=faker[locale].last_name())
    city = str(faker[locale].city())
    return city.split(". ", 1)[-1].replace("селище ", "").replace("село ", "").strip()


def _date_in(rnd: Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rnd.randrange(max(1, (end - start).days)))


def _identity(faker: Faker, locale: str, country: str, rnd: Random) -> dict[str, Any]:
    fake = faker[locale]
    female = rnd.random() < 0.5
    first = fake.first_name_female() if female else fake.first_name_male()
    last = fake.last_name()
    full = f"{first} {last}"
    name: dict[str, str] = {"name": full, "language": LANGUAGE_OF_LOCALE.get(locale, "en")}
    if locale in SCRIPT_OF_LOCALE:
        name["script"] = SCRIPT_OF_LOCALE[locale]
        name["transliteration"] = translit.transliterate(full).title()
    identity: dict[str, Any] = {
        "full_name": full,
        "names": [name],
        "sex": "female" if female else "male",
        "nationalities": [country],
        "languages": [LANGUAGE_OF_LOCALE.get(locale, "en")],
        "status": rnd.choice(["unknown", "alive", "alive", "deceased", "missing"]),
    }
    if rnd.random() < 0.6:
        identity["date_of_birth"] = _date_in(rnd, dt.date(1940, 1, 1), dt.date(2015, 1, 1))
    else:
        low = rnd.randrange(5, 75)
        identity["age_range"] = {"min": low, "max": low + 9}
    if rnd.random() < 0.3:
        identity["identity_documents"] = [
            {"type": "national_id", "number": f"{rnd.randrange(10**8, 10**9)}", "country": country}
        ]
    if rnd.random() < 0.1:
        identity["contacts"] = [f"+000 {rnd.randrange(10**6, 10**7)}"]
    if rnd.random() < 0.1:
        identity["other_names"] = [fake.first_name_female() if female else fake.first_name_male()]
    return identity


@dataclass
class OrgPlan:
    key: str
    org: Organisation
    conflict: Conflict
    countries: list[str]
    incidents: int = 0
    persons: int = 0


def fraction() -> float:
    """Share of the full size to build: ``settings.VIOLATIONS_DEMO_FRACTION`` (default 1; test
    settings may lower it so that suites running ``justicework demo`` stay fast)."""
    from django.conf import settings

    return float(getattr(settings, "VIOLATIONS_DEMO_FRACTION", 1.0))


def _plans(ctx: DemoContext) -> list[OrgPlan]:
    plans = []
    for conflict in CONFLICTS:
        for key in conflict.orgs:
            org = ctx.organisations.get(key)
            if org is None:
                continue
            countries = [c for c in conflict.countries if c in (org.countries or [])]
            plans.append(OrgPlan(key, org, conflict, countries or list(conflict.countries[:1])))
    weights = [3 if p.key.startswith("member") else 1 for p in plans]
    total = sum(weights)
    share = fraction()
    for plan, weight in zip(plans, weights, strict=True):
        plan.incidents = max(1, round(INCIDENTS * share * weight / total))
        plan.persons = max(4, round(PERSONS * share * weight / total))
    return plans


def _units(plan: OrgPlan) -> tuple[list[Unit], list[Unit]]:
    """Create the parties' units for one organisation; returns (top units, all units)."""
    tops, everything = [], []
    country = plan.countries[0]
    for party in plan.conflict.parties:
        top = actions.create_unit(None, plan.org, name=party.name, kind=party.kind, country=country)
        tops.append(top)
        everything.append(top)
        for sub in party.sub_units:
            everything.append(
                actions.create_unit(
                    None, plan.org, name=sub, kind=party.kind, parent=top, country=country
                )
            )
    return tops, everything


def _incident_rows(plan: OrgPlan, ctx: DemoContext, parties: Sequence[str]) -> list[dict[str, Any]]:
    rnd, faker, conflict = ctx.random, ctx.faker, plan.conflict
    today = dt.date(2025, 6, 30)
    subdivisions = {c: _subdivisions(c) for c in plan.countries}
    rows = []
    for _ in range(plan.incidents):
        event = rnd.choice(conflict.events)
        country = rnd.choice(plan.countries)
        locale = rnd.choice(conflict.locales)
        place = _place(faker, locale, rnd)
        start = _date_in(rnd, conflict.start, today)
        precision = rnd.choices(["day", "month", "range", "year"], [70, 15, 10, 5])[0]
        row: dict[str, Any] = {
            "title": TITLES[event][conflict.language].format(place=place),
            "description": DESCRIPTIONS[conflict.language].format(
                n=rnd.randrange(1, 40), party=rnd.choice(parties)
            ),
            "country": country,
            "context": (
                Incident.Context.OCCUPATION
                if conflict.context == Incident.Context.IAC and rnd.random() < 0.3
                else conflict.context
            ),
            "status": rnd.choices(["draft", "documented", "verified"], [20, 60, 20])[0],
            "sensitivity": "restricted" if rnd.random() < 0.05 else "normal",
            "start_date": start.replace(day=1) if precision == "month" else start,
            "date_precision": precision,
            "date_approximate": rnd.random() < 0.1,
        }
        if precision == "range":
            row["end_date"] = min(start + dt.timedelta(days=rnd.randrange(1, 60)), today)
        if precision == "year":
            row["start_date"] = start.replace(month=1, day=1)
        south, west, north, east = BOXES[country]
        locations = []
        for _n in range(rnd.choice([1, 1, 1, 2])):
            location: dict[str, Any] = {"place_name": place, "country": country}
            if subdivisions[country]:
                location["subdivision"] = rnd.choice(subdivisions[country])
            if rnd.random() < 0.8:
                location["latitude"] = round(rnd.uniform(south, north), 4)
                location["longitude"] = round(rnd.uniform(west, east), 4)
                location["precision"] = rnd.choice(["exact", "near", "locality"])
            locations.append(location)
            place = _place(faker, locale, rnd)
        row["locations"] = locations
        row["_event"] = event
        rows.append(row)
    return rows


def _violation_rows(
    plan: OrgPlan,
    ctx: DemoContext,
    incidents: list[Incident],
    events: list[str],
    victims: list[Any],
) -> list[dict[str, Any]]:
    rnd = ctx.random
    rows = []
    for incident, event in zip(incidents, events, strict=True):
        for _ in range(rnd.randint(*VIOLATIONS_PER_INCIDENT)):
            kind = rnd.choice(EVENT_TYPES[event])
            row: dict[str, Any] = {
                "incident": incident,
                "type": kind,
                "victim": rnd.choice(victims),
                "victim_outcome": rnd.choice(OUTCOMES.get(kind, ("unknown", "alive"))),
                "victim_age": rnd.randrange(3, 85) if rnd.random() < 0.7 else None,
            }
            if kind in METHODS:
                row["method"] = rnd.choice(METHODS[kind])
            rows.append(row)
    return rows


def _perpetration_rows(
    ctx: DemoContext, violations: list[Any], units: list[Any], commanders: list[Any]
) -> list[dict[str, Any]]:
    rnd = ctx.random
    rows = [
        {
            "violation": violation,
            "unit": rnd.choice(units),
            "involvement": rnd.choices(["direct", "ordered", "aided", "alleged"], [70, 10, 5, 15])[
                0
            ],
        }
        for violation in violations
        if rnd.random() < 0.7
    ]
    if commanders:
        rows += [
            {"violation": v, "person": rnd.choice(commanders), "involvement": "failed_to_prevent"}
            for v in rnd.sample(violations, min(20, len(violations)))
        ]
    return rows


def _sources_and_relations(plan: OrgPlan, ctx: DemoContext, incidents: list[Incident]) -> None:
    rnd = ctx.random
    for incident in rnd.sample(incidents, int(len(incidents) * SOURCES_SHARE)):
        kind = rnd.choice(SOURCE_KINDS)
        actions.create_source(
            None,
            plan.org,
            kind=kind,
            title=f"{kind.replace('_', ' ').capitalize()} {rnd.randrange(1000, 9999)}",
            reliability=rnd.choice("ABCDEF"),
            credibility=rnd.choice("123456"),
            language=LANGUAGE_OF_LOCALE.get(rnd.choice(plan.conflict.locales), "en"),
            date=incident.start_date,
            incidents=[incident],
        )
    for earlier, later in zip(incidents[:20], incidents[20:40], strict=False):
        actions.relate_incidents(None, later, earlier, rnd.choice(["follows", "part_of"]))


def _build_plan(plan: OrgPlan, ctx: DemoContext, totals: dict[str, int]) -> None:
    rnd, faker = ctx.random, ctx.faker
    tops, units = _units(plan)
    totals["units"] += len(units)
    country = plan.countries[0]
    identities = [
        _identity(faker, rnd.choice(plan.conflict.locales), country, rnd)
        for _ in range(plan.persons)
    ]
    persons = actions.bulk_create_persons(None, plan.org, identities)
    totals["persons"] += len(persons)
    commanders = persons[: len(tops)]
    for top, commander in zip(tops, commanders, strict=False):
        actions.add_unit_commander(
            None,
            top,
            commander,
            title=rnd.choice(["Colonel", "General", "Commander"]),
            start_date=plan.conflict.start,
        )
    victims: list[Person | None] = list(persons[len(tops) :]) or [None]
    rows = _incident_rows(plan, ctx, [p.name for p in plan.conflict.parties])
    events = [row.pop("_event") for row in rows]
    incidents = actions.bulk_create_incidents(None, plan.org, rows)
    totals["incidents"] += len(incidents)
    violation_rows = _violation_rows(plan, ctx, incidents, events, victims)
    violations = actions.bulk_create_violations(None, plan.org, violation_rows)
    totals["violations"] += len(violations)
    perpetrations = _perpetration_rows(ctx, violations, units, commanders)
    actions.bulk_create_perpetrations(None, plan.org, perpetrations)
    _sources_and_relations(plan, ctx, incidents)


def build(ctx: DemoContext) -> None:
    """The demo step: build the dataset unless it is already there."""
    plans = _plans(ctx)
    if not plans or Incident.objects.filter(organisation__in=[p.org for p in plans]).exists():
        return
    totals = {"incidents": 0, "violations": 0, "persons": 0, "units": 0}
    for plan in plans:
        _build_plan(plan, ctx, totals)
    ctx.write(
        "Violations demo: {incidents} incidents, {violations} violations, {persons} persons, "
        "{units} units (fictional).".format(**totals)
    )
