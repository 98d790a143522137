"""Records to link evidence to: an incident of acme with a violation, a person and a source,
an incident of beacon, and an item of each organisation."""

from __future__ import annotations

import pytest

from justicework.evidence.models import Item
from justicework.violations import actions as violations
from justicework.violations.models import Incident, Person, Source, Violation

from ...violations.conftest import make_incident, make_person, make_violation
from ..conftest import upload_file


@pytest.fixture
def incident(acme) -> Incident:
    return make_incident(acme, title="Shelling of the market", external_ref="ACME-2023-017")


@pytest.fixture
def person(acme) -> Person:
    return make_person(acme, full_name="Олена Коваленко")


@pytest.fixture
def violation(incident, person) -> Violation:
    return make_violation(incident, victim=person)


@pytest.fixture
def source(acme, incident) -> Source:
    return violations.create_source(None, acme, kind="document", title="Hospital register")


@pytest.fixture
def beacon_incident(beacon) -> Incident:
    return make_incident(beacon, title="Raid on the clinic", country="CD")


@pytest.fixture
def acme_item(documenter, acme) -> Item:
    return upload_file(documenter, acme, b"acme video bytes", filename="market.mp4")


@pytest.fixture
def beacon_item(outsider, beacon) -> Item:
    return upload_file(outsider, beacon, b"beacon bytes", filename="clinic.txt")
