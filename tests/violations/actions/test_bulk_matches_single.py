"""The bulk path stores what the single-record path stores (STYLE 19), for generated input.

The single path is ``create_person`` then ``add_violation(victim=...)`` per item (the one call
that links a victim as the violation is recorded; ``link_person`` would add a second audit entry
the bulk path has no counterpart for). The bulk path is the importer's: identities prepared
ahead (``prepare_identity`` with a drawn code and a sealer), ``bulk_create_persons(...,
source="import", instances=False)``, then ``bulk_create_violations`` with the ``NewPerson``
tuples as victims. Rows, blind indexes, victim links, audit entries and the incident's search
document must be equal once ids, codes and timestamps are replaced by positions. The one
deliberate difference: the importer's person entries say ``"source": "import"``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from justicework.audit.models import AuditEntry
from justicework.encryption.keyring import blind_index_key
from justicework.search.registry import registration_for
from justicework.violations import actions, vocabularies
from justicework.violations.models import (
    DatePrecision,
    Incident,
    Person,
    PersonIndex,
    PersonRole,
    Violation,
)

pytestmark = pytest.mark.django_db

INCIDENT = {
    "title": "Shelling of the market",
    "country": "UA",
    "start_date": dt.date(2023, 5, 4),
    "locations": [{"place_name": "Kharkiv", "subdivision": "UA-63"}],
}

#: Latin, Cyrillic and Arabic letters, spaces and the punctuation of names.
LETTERS = "abcdefghijklmnopqrstuvwxyz" + "\u041e\u043b\u0435\u043d\u0430\u041a\u0432" + "محدخل -'"
words = st.text(alphabet=LETTERS, min_size=1, max_size=24)
names = words.filter(lambda s: s.strip())
identities = st.fixed_dictionaries(
    {},
    optional={
        "full_name": names,
        "sex": st.sampled_from(["female", "male", "intersex"]),
        "date_of_birth": st.dates(dt.date(1920, 1, 1), dt.date(2015, 12, 31)),
        "other_names": st.lists(names, max_size=2),
        "nationalities": st.lists(st.sampled_from(["UA", "FR", "SY", "CD"]), unique=True),
        "age_range": st.fixed_dictionaries(
            {"min": st.integers(0, 40), "max": st.integers(41, 130)}
        ),
        "identity_documents": st.lists(
            st.fixed_dictionaries(
                {"number": st.from_regex(r"[A-Z]{2} ?[0-9]{3}-?[0-9]{3}", fullmatch=True)},
                optional={"type": st.just("passport")},
            ),
            max_size=1,
        ),
        "status": st.sampled_from(Person.Status.values),
    },
)
violation_fields = st.fixed_dictionaries(
    {"type": st.sampled_from(["killing_in_attack", "torture", "arbitrary_detention"])},
    optional={
        "description": words,
        "victim_age": st.integers(0, 130),
        "victim_outcome": st.sampled_from(Violation.VictimOutcome.values),
        "dates": st.tuples(st.dates(dt.date(2023, 5, 4), dt.date(2023, 5, 30)), st.booleans()),
    },
)
items = st.lists(
    st.tuples(st.none() | identities, violation_fields, st.booleans()), min_size=1, max_size=4
)


class _Rollback(Exception):
    """Ends an example: everything it wrote is rolled back."""


def _single(actor: Any, org: Any, batch: list[Any]) -> Incident:
    incident = actions.create_incident(actor, org, **INCIDENT)
    place = incident.locations.get()
    for identity, fields, at_place in batch:
        person = None
        if identity is not None:
            person = actions.create_person(actor, org, **identity)
        extra = {"location": place} if at_place else {}
        actions.add_violation(actor, incident, victim=person, **_dated(fields), **extra)
    return incident


def _bulk(actor: Any, org: Any, batch: list[Any]) -> Incident:
    incident = actions.create_incident(actor, org, **INCIDENT)
    place = incident.locations.get()
    index_key, sealer = blind_index_key(), actions.identity_sealer(org.pk, create=True)
    wanted = [identity for identity, _fields, _at in batch if identity is not None]
    codes = actions.draw_codes(actions.PERSON_CODE_PREFIX, len(wanted))
    prepared = [
        actions.prepare_identity(identity, index_key, code=code, sealer=sealer)
        for identity, code in zip(wanted, codes, strict=True)
    ]
    persons = iter(
        actions.bulk_create_persons(actor, org, prepared, source="import", instances=False)
    )
    rows = []
    for identity, fields, at_place in batch:
        row: dict[str, Any] = {"incident": incident, **_dated(fields)}
        if identity is not None:
            row["victim"] = next(persons)
        if at_place:
            row["location"] = place
        rows.append(row)
    actions.bulk_create_violations(actor, org, rows)
    return incident


def _dated(fields: dict[str, Any]) -> dict[str, Any]:
    """The violation's own dates, when it has some (else it takes the incident's)."""
    fields = dict(fields)
    if "dates" in fields:
        start, approximate = fields.pop("dates")
        fields.update(
            start_date=start, date_precision=DatePrecision.DAY, date_approximate=approximate
        )
    return fields


def _stored(incident: Incident, since: int) -> dict[str, Any]:
    """What the path stored, with ids and codes replaced by positions."""
    violations = list(Violation.objects.filter(incident=incident).order_by("pk"))
    roles = PersonRole.objects.filter(violation__in=violations).select_related("person")
    persons = sorted({role.person for role in roles}, key=lambda p: p.pk)
    ids = {
        **{("violations.incident", incident.pk): "incident"},
        **{("violations.violation", v.pk): f"v{i}" for i, v in enumerate(violations)},
        **{("violations.person", p.pk): f"p{i}" for i, p in enumerate(persons)},
    }
    codes = {p.code: f"p{i}" for i, p in enumerate(persons)}
    places = {loc.pk: "place" for loc in incident.locations.all()}
    return {
        "persons": [_fields(p, {"id", "code", "created_at", "updated_at"}) for p in persons],
        "indexes": [
            sorted(PersonIndex.objects.filter(person=p).values_list("kind", "value"))
            for p in persons
        ],
        "violations": [
            _fields(v, {"id", "incident", "location", "created_at", "updated_at"})
            | {"location": places.get(v.location_id)}
            for v in violations
        ],
        "roles": sorted(
            (ids[("violations.violation", r.violation_id)], codes[r.person.code], r.role)
            for r in roles
        ),
        "audit": _audit(since, ids, codes, places),
        "search": _document(incident),
    }


def _fields(obj: Any, skip: set[str]) -> dict[str, Any]:
    return {
        f.name: getattr(obj, f.attname) for f in obj._meta.concrete_fields if f.name not in skip
    }


def _audit(since: int, ids: dict[Any, str], codes: dict[str, str], places: dict[int, str]) -> Any:
    entries = []
    for entry in AuditEntry.objects.filter(seq__gt=since).order_by("seq"):
        if entry.action == "violations.incident.created":
            continue  # the incident is created the same way on both paths
        if entry.action == "violations.person.creator_need_to_know_granted":
            continue  # one at a time only: an import's persons are granted as a set
        diff = dict(entry.diff or {})
        if entry.action == "violations.person.created":
            diff["code"] = codes[diff["code"]]
        if entry.action == "violations.violation.created":
            diff["incident"] = "incident"
            diff["victim"] = codes.get(diff["victim"])
            diff["location"] = places.get(diff["location"])
        obj = ids[(entry.object_type, int(entry.object_id))]
        entries.append((entry.action, entry.actor_id, entry.organisation_id, obj, diff))
    return sorted(entries, key=lambda e: (e[0], e[3]))


def _document(incident: Incident) -> str:
    rowid = registration_for(Incident).rowid(incident.pk)
    column = "text" if connection.vendor == "sqlite" else "vector::text"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM search_document WHERE rowid = %s", [rowid])  # noqa: S608  # constant column
        return str(cursor.fetchone()[0])


def _last_seq() -> int:
    last = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first()
    return last or 0


@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(batch=items)
def test_the_bulk_path_stores_what_the_single_path_stores(cast, batch):
    assert {"killing_in_attack", "torture", "arbitrary_detention"} <= {
        term.code for term in vocabularies.get("violation_types").leaves()
    }
    try:
        with transaction.atomic():
            since = _last_seq()
            single = _stored(_single(cast.documenter, cast.acme, batch), since)
            since = _last_seq()
            bulk = _stored(_bulk(cast.documenter, cast.acme, batch), since)
            for entry in bulk["audit"]:
                if entry[0] == "violations.person.created":
                    assert entry[4].pop("source") == "import"
            assert bulk == single
            raise _Rollback
    except _Rollback:
        pass
