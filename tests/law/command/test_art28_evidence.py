"""Evidence items linked to an incident or its violations appear in the art. 28 summary for
readers who may open evidence (``evidence.view``), never for others; the summary's queries do
not grow with the number of incidents."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from justicework.core.models import Organisation, User
from justicework.evidence.actions.links import link_item
from justicework.law.command import art28, chain
from tests.evidence.conftest import upload_file

from .conftest import CHANGE
from .test_art28 import attack

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _vault(settings: Any, tmp_path: Path) -> None:
    settings.EVIDENCE_DIR = tmp_path / "evidence"


def material(user: User, org: Organisation, person_id: int) -> list[tuple[str, str]]:
    found = art28.summarise(user, chain.load_hierarchy(user, org.pk), person_id)
    return [(m.kind, m.title) for s in found.incidents for m in s.material]


def test_evidence_is_listed_only_for_who_may_open_it(
    forces: SimpleNamespace, acme: Organisation, analyst: User, viewer: User, documenter: User
) -> None:
    violation = attack(acme, CHANGE, forces.company, "Shelling")
    item = upload_file(documenter, acme, b"crater photo", filename="crater.jpg")
    link_item(None, item, violation)
    assert ("evidence", item.display_name) in material(analyst, acme, forces.new.pk)
    assert material(viewer, acme, forces.new.pk) == []


def _count(user: User, org: Organisation, person_id: int) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        found = art28.summarise(user, chain.load_hierarchy(user, org.pk), person_id)
    return len(ctx.captured_queries), len(found.incidents)


def test_queries_do_not_grow_with_incidents(
    forces: SimpleNamespace, acme: Organisation, analyst: User
) -> None:
    attack(acme, CHANGE, forces.company, "First")
    _count(analyst, acme, forces.new.pk)  # memberships cached
    one, n1 = _count(analyst, acme, forces.new.pk)
    for day in range(1, 9):
        attack(acme, CHANGE + dt.timedelta(days=day), forces.battalion, f"Day {day}")
    many, n9 = _count(analyst, acme, forces.new.pk)
    assert (n1, n9) == (1, 9)
    assert one == many
