"""Factories for the violations tests (and the import/export/view tests of this app).

They call the actions with ``actor=None`` (the system), so they work for any organisation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from justicework.audit.models import AuditEntry
from justicework.core.models import Organisation
from justicework.violations import actions
from justicework.violations.models import Incident, Person, Unit, Violation


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    """Duplicate-check budgets live in the cache, keyed by user id (ids are reused between
    tests): every test starts with a fresh budget."""
    cache.clear()
    yield
    cache.clear()


def last_audit(action: str) -> AuditEntry:
    """The newest audit entry of ``action`` (one must exist)."""
    entry = AuditEntry.objects.filter(action=action).order_by("-seq").first()
    assert entry is not None, f"no audit entry {action}"
    return entry


def make_incident(org: Organisation, **fields: Any) -> Incident:
    fields.setdefault("title", "Shelling of the market")
    fields.setdefault("country", "UA")
    fields.setdefault("start_date", dt.date(2023, 5, 4))
    return actions.create_incident(None, org, **fields)


def make_person(org: Organisation, **identity: Any) -> Person:
    return actions.create_person(None, org, **identity)


def make_violation(incident: Incident, **fields: Any) -> Violation:
    fields.setdefault("type", "killing_in_attack")
    return actions.add_violation(None, incident, **fields)


def make_unit(org: Organisation, **fields: Any) -> Unit:
    fields.setdefault("name", "3rd Motorised Brigade")
    fields.setdefault("kind", "armed_forces")
    return actions.create_unit(None, org, **fields)


@pytest.fixture
def incident(acme: Organisation) -> Incident:
    return make_incident(acme, locations=[{"place_name": "Kharkiv", "subdivision": "UA-63"}])


@pytest.fixture
def beacon_incident(beacon: Organisation) -> Incident:
    return make_incident(beacon, title="Raid on the clinic", country="CD")


@pytest.fixture
def person(acme: Organisation) -> Person:
    return make_person(
        acme,
        full_name="Олена Коваленко",
        date_of_birth=dt.date(1990, 2, 3),
        identity_documents=[{"type": "passport", "number": "FA 123-456"}],
    )


@pytest.fixture
def violation(incident: Incident, person: Person) -> Violation:
    return make_violation(incident, victim=person)
