"""``bulk_create_violations`` does its work in a fixed number of statements, whatever the
number of rows (validation, audit, search in bulk). Its speed is measured by ``make bench``
(benchmarks/bench_import.py), not asserted here: a timed test fails on a busy machine."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from justicework.audit.models import AuditEntry
from justicework.violations import actions
from justicework.violations.models import Violation

from .conftest import make_incident, make_person

pytestmark = pytest.mark.django_db

TYPES = ["torture", "arbitrary_detention", "killing_in_attack", "rape", "pillage"]


def _rows(incidents: list[Any], persons: list[Any], count: int) -> list[dict[str, Any]]:
    return [
        {
            "incident": incidents[i % len(incidents)].pk,
            "type": TYPES[i % len(TYPES)],
            "victim": persons[i % len(persons)].code if i % 3 == 0 else None,
            "start_date": "2023-05-04",
            "victim_age": 20 + i % 40,
        }
        for i in range(count)
    ]


def test_bulk_create_violations_runs_the_same_statements_for_500_or_5000_rows(cast) -> None:
    incidents = [make_incident(cast.acme, title=f"Incident {i}") for i in range(50)]
    persons = [make_person(cast.acme, full_name=f"Person {i}") for i in range(100)]
    # A first batch fills the per-process caches (keys, vocabularies), then two sizes compare.
    actions.bulk_create_violations(cast.documenter, cast.acme, _rows(incidents, persons, 10))
    counts = []
    for size in (500, 5000):
        before = (Violation.objects.count(), AuditEntry.objects.count())
        with CaptureQueriesContext(connection) as statements:
            actions.bulk_create_violations(
                cast.documenter, cast.acme, _rows(incidents, persons, size)
            )
        assert Violation.objects.count() == before[0] + size
        assert AuditEntry.objects.count() == before[1] + size
        counts.append(len(statements.captured_queries))
    assert counts[0] == counts[1], counts
