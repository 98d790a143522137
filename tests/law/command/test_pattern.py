"""Pattern counts: distinct incidents per month and per unit, for a unit and its sub-units."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from justicework.core.models import Organisation, User
from justicework.law.command import chain, pattern
from justicework.violations import actions

from .test_art28 import attack

pytestmark = pytest.mark.django_db
D = dt.date


def test_counts_per_month_and_unit(
    forces: SimpleNamespace, acme: Organisation, analyst: User
) -> None:
    attack(acme, D(2023, 1, 5), forces.company, "A")
    attack(acme, D(2023, 1, 20), forces.battalion, "B")
    both = attack(acme, D(2023, 3, 2), forces.company, "C")
    actions.add_perpetration(None, both, involvement="direct", unit=forces.battalion)
    attack(acme, None, forces.company, "Undated")
    loaded = chain.load_hierarchy(analyst, acme.pk)
    found = pattern.incident_pattern(analyst, loaded, forces.brigade.pk)
    assert found.months == [D(2023, 1, 1), D(2023, 2, 1), D(2023, 3, 1)]
    assert found.totals == {D(2023, 1, 1): 2, D(2023, 3, 1): 1}
    assert found.count(forces.company.pk, D(2023, 1, 1)) == 1
    assert found.count(forces.battalion.pk, D(2023, 3, 1)) == 1
    assert found.undated == 1
    # two incidents each (C counts for both units), then by name
    assert [(name, n) for _u, name, n in found.units] == [("2nd Battalion", 2), ("3rd Company", 2)]
    below = pattern.incident_pattern(
        analyst, loaded, forces.company.pk, D(2023, 2, 1), D(2023, 12, 31)
    )
    assert below.totals == {D(2023, 3, 1): 1}
    assert len(below.months) == 11


def test_bad_periods_are_refused(
    forces: SimpleNamespace, acme: Organisation, analyst: User
) -> None:
    loaded = chain.load_hierarchy(analyst, acme.pk)
    with pytest.raises(pattern.PeriodError, match="before its start"):
        pattern.incident_pattern(analyst, loaded, forces.brigade.pk, D(2023, 2, 1), D(2023, 1, 1))
    with pytest.raises(pattern.PeriodError, match="longer than"):
        pattern.incident_pattern(analyst, loaded, forces.brigade.pk, D(1990, 1, 1), D(2023, 1, 1))


def test_pattern_queries_do_not_grow_with_incidents(
    forces: SimpleNamespace, acme: Organisation, analyst: User
) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            found = pattern.incident_pattern(
                analyst, chain.load_hierarchy(analyst, acme.pk), forces.brigade.pk
            )
            pattern.map_points(found.incident_ids)
        return len(ctx.captured_queries)

    attack(acme, D(2023, 1, 5), forces.company, "A")
    count()  # memberships cached
    one = count()
    for month in range(2, 10):
        attack(acme, D(2023, month, 5), forces.battalion, f"M{month}")
    assert count() == one
