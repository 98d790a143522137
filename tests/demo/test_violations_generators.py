"""The violations demo's generators (``demo.violations``) without the database: a seed gives
the same persons and incidents, what they make passes the identity and date rules the actions
apply, coordinates fall in the country's box, acts follow the event, and the contacts and
document numbers cannot be mistaken for real ones."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from justicework.demo import coalition
from justicework.demo import violations as demo
from justicework.demo.violations_data import BOXES, CONFLICTS, EVENT_TYPES, METHODS, OUTCOMES
from justicework.violations import identity
from justicework.violations.dates import date_problems
from justicework.violations.models import Person

LAST_DAY = dt.date(2025, 6, 30)


def identities(seed: int, n: int = 60) -> list[dict]:
    ctx = coalition.make_context(seed)
    conflict = CONFLICTS[0]
    return [demo._identity(ctx.faker, conflict.locales[i % 2], "UA", ctx.random) for i in range(n)]


def plan(conflict_index: int = 0, incidents: int = 80) -> demo.OrgPlan:
    conflict = CONFLICTS[conflict_index]
    return demo.OrgPlan("member-1", None, conflict, list(conflict.countries), incidents)  # type: ignore[arg-type]


def incident_rows(seed: int, conflict_index: int = 0) -> list[dict]:
    ctx = coalition.make_context(seed)
    conflict = CONFLICTS[conflict_index]
    return demo._incident_rows(plan(conflict_index), ctx, [p.name for p in conflict.parties])


def test_a_seed_gives_the_same_persons_and_another_seed_others():
    assert identities(7) == identities(7)
    assert [p["full_name"] for p in identities(7)] != [p["full_name"] for p in identities(8)]


def test_generated_identities_pass_the_identity_rules():
    for person in identities(3):
        fields = dict(person)
        assert fields.pop("status") in Person.Status.values
        cleaned = identity.clean(fields)
        assert cleaned["full_name"] == person["full_name"]
        assert cleaned["sex"] == person["sex"]


def test_names_in_cyrillic_carry_their_script_and_a_latin_transliteration():
    for person in identities(5):
        name = person["names"][0]
        assert name["script"] == "Cyrl" and name["language"] in {"uk", "ru"}
        assert name["transliteration"].replace(" ", "").replace("'", "").isascii()


def test_contacts_and_document_numbers_cannot_be_real():
    people = identities(11, n=300)
    contacts = [c for p in people for c in p.get("contacts", [])]
    documents = [d for p in people for d in p.get("identity_documents", [])]
    assert contacts and documents
    assert all(c.startswith("+000 ") for c in contacts)  # no country has calling code 000
    assert all(d["type"] == "national_id" and d["country"] == "UA" for d in documents)


def test_either_a_birth_date_or_an_age_range():
    for person in identities(13, n=100):
        assert ("date_of_birth" in person) != ("age_range" in person)
        if "age_range" in person:
            low, high = person["age_range"]["min"], person["age_range"]["max"]
            assert low >= 5 and high == low + 9


def test_a_seed_gives_the_same_incidents():
    assert incident_rows(21) == incident_rows(21)
    assert incident_rows(21) != incident_rows(22)


@pytest.mark.parametrize("conflict_index", range(len(CONFLICTS)))
def test_incident_dates_pass_the_date_rules(conflict_index):
    conflict = CONFLICTS[conflict_index]
    for row in incident_rows(4, conflict_index):
        start, end, precision = row["start_date"], row.get("end_date"), row["date_precision"]
        assert date_problems(start, end, precision) == {}
        assert conflict.start.replace(day=1, month=1) <= start <= LAST_DAY
        if precision == "month":
            assert start.day == 1
        if precision == "year":
            assert (start.month, start.day) == (1, 1)
        if precision == "range":
            assert start <= end <= LAST_DAY


@pytest.mark.parametrize("conflict_index", range(len(CONFLICTS)))
def test_incidents_lie_in_their_countries(conflict_index):
    conflict = CONFLICTS[conflict_index]
    for row in incident_rows(9, conflict_index):
        assert row["country"] in conflict.countries
        assert row["_event"] in conflict.events
        for location in row["locations"]:
            assert location["country"] == row["country"] and location["place_name"]
            if "latitude" in location:
                south, west, north, east = BOXES[row["country"]]
                assert south <= location["latitude"] <= north
                assert west <= location["longitude"] <= east


def test_only_an_international_conflict_has_occupied_places():
    for index, conflict in enumerate(CONFLICTS):
        contexts = {row["context"] for row in incident_rows(2, index)}
        if conflict.context == "iac":
            assert contexts == {"iac", "occupation"}
        else:
            assert contexts == {conflict.context}


def test_acts_methods_and_outcomes_follow_the_event():
    ctx = coalition.make_context(17)
    events = list(EVENT_TYPES) * 5
    incidents = [f"incident {i}" for i in range(len(events))]
    rows = demo._violation_rows(plan(), ctx, incidents, events, ["victim"])  # type: ignore[arg-type]
    assert len(rows) >= len(events)
    by_incident = dict(zip(incidents, events, strict=True))
    for row in rows:
        assert row["type"] in EVENT_TYPES[by_incident[row["incident"]]]
        assert ("method" in row) == (row["type"] in METHODS)
        if "method" in row:
            assert row["method"] in METHODS[row["type"]]
        assert row["victim_outcome"] in OUTCOMES.get(row["type"], ("unknown", "alive"))
        assert row["victim_age"] is None or 3 <= row["victim_age"] < 85


def test_commanders_are_charged_with_failing_to_prevent_at_most_twenty_times():
    ctx = coalition.make_context(1)
    violations = [f"v{i}" for i in range(50)]
    rows = demo._perpetration_rows(ctx, violations, ["unit"], ["commander"])  # type: ignore[arg-type]
    commanded = [r for r in rows if "person" in r]
    assert len(commanded) == 20
    assert {r["involvement"] for r in commanded} == {"failed_to_prevent"}
    assert {r["involvement"] for r in rows if "unit" in r} <= {"direct", "ordered", "aided",
                                                               "alleged"}  # fmt: skip
    assert [r for r in demo._perpetration_rows(ctx, violations, ["u"], []) if "person" in r] == []


def test_the_plans_share_the_incidents_by_weight(settings):
    settings.VIOLATIONS_DEMO_FRACTION = 0.5
    orgs = {plan.key: SimpleNamespace(countries=list(plan.countries)) for plan in coalition.PLAN}
    ctx = coalition.make_context(1)
    ctx.organisations.update(orgs)  # type: ignore[arg-type]
    plans = demo._plans(ctx)
    assert demo.fraction() == 0.5
    assert sum(p.incidents for p in plans) == pytest.approx(demo.INCIDENTS * 0.5, abs=len(plans))
    members = [p for p in plans if p.key.startswith("member")]
    others = [p for p in plans if not p.key.startswith("member")]
    assert members[0].incidents == pytest.approx(3 * others[0].incidents, abs=1)
    for p in plans:
        assert p.countries and set(p.countries) <= set(p.conflict.countries)


def test_no_plan_without_its_organisation():
    assert demo._plans(coalition.make_context(1)) == []
