"""The chain of command on a date follows the dated hierarchy (``UnitSubordination``), falling
back to ``Unit.parent`` for a unit with no period recorded; the loader's queries stay flat."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from justicework.core.models import Organisation, User
from justicework.law.command import art28, chain
from justicework.law.command.chain import Basis, Hierarchy, Subordination, UnitNode
from justicework.violations import actions

from .conftest import CHANGE, command, login, person, unit

D = dt.date
BEFORE, AFTER = CHANGE - dt.timedelta(days=1), CHANGE


def _pure() -> Hierarchy:
    units = [UnitNode(1, "Army", "x", None), UnitNode(2, "North", "x", 1)]
    units += [UnitNode(3, "South", "x", 1), UnitNode(4, "Battalion", "x", 3)]
    subs = [Subordination(10, 4, 2, None, BEFORE), Subordination(11, 4, 3, AFTER, None)]
    return Hierarchy.build(units, [], subs)


@pytest.mark.parametrize(
    ("on", "names"),
    [(BEFORE, ["Army", "North", "Battalion"]), (AFTER, ["Army", "South", "Battalion"])],
)
def test_the_chain_follows_the_period_covering_the_date(on: D, names: list[str]) -> None:
    levels = chain.unit_chain(_pure(), 4, on)
    assert [lv.unit.name for lv in levels] == names
    assert [lv.basis for lv in levels] == [Basis.TOP, Basis.CURRENT, Basis.DATED]
    assert chain.uses_current_hierarchy(levels)


def test_no_period_covering_the_date_leaves_the_unit_on_its_own() -> None:
    units = [UnitNode(1, "Army", "x", None), UnitNode(2, "Battalion", "x", 1)]
    dated = Hierarchy.build(units, [], [Subordination(1, 2, 1, D(2024, 1, 1), None)])
    levels = chain.unit_chain(dated, 2, D(2023, 1, 1))
    assert [(lv.unit.name, lv.basis) for lv in levels] == [("Battalion", Basis.NONE_ON_DATE)]
    assert not chain.uses_current_hierarchy(levels)
    # today's parent is still what ``ancestors`` without a date answers
    assert chain.ancestors(dated, 2) == [2, 1]


def test_descendants_on_a_date_and_at_any_time() -> None:
    tree = _pure()
    assert chain.descendants(tree, 2, BEFORE) == [2, 4]
    assert chain.descendants(tree, 2, AFTER) == [2]
    assert chain.descendants(tree, 3, BEFORE, AFTER) == [3, 4]
    assert chain.descendants(tree, 1) == [1, 2, 3, 4]


def test_a_dated_cycle_in_imported_data_does_not_loop() -> None:
    units = [UnitNode(1, "A", "x", None), UnitNode(2, "B", "x", None)]
    subs = [Subordination(1, 1, 2, None, None), Subordination(2, 2, 1, None, None)]
    looped = Hierarchy.build(units, [], subs)
    assert chain.ancestors(looped, 1, D(2023, 1, 1)) == [1, 2]
    assert sorted(chain.descendants(looped, 1, D(2023, 1, 1))) == [1, 2]


@pytest.fixture
def moved(forces: SimpleNamespace, acme: Organisation) -> SimpleNamespace:
    """The company leaves the battalion for a second brigade on the day of the change."""
    other = unit(acme, "9th Brigade")
    boss = person(acme)
    command(other, boss, D(2020, 1, 1), None, "General")
    actions.add_unit_subordination(None, forces.company, forces.battalion, valid_to=BEFORE)
    actions.add_unit_subordination(None, forces.company, other, valid_from=AFTER)
    return SimpleNamespace(**vars(forces), other=other, boss=boss)


@pytest.mark.django_db
def test_the_chain_on_a_date_before_and_after_a_re_subordination(
    moved: SimpleNamespace, analyst: User, acme: Organisation
) -> None:
    loaded = chain.load_hierarchy(analyst, acme.pk)
    before = chain.unit_chain(loaded, moved.company.pk, BEFORE)
    assert [lv.unit.name for lv in before] == ["1st Brigade", "2nd Battalion", "3rd Company"]
    assert before[1].holders[0].command.person_id == moved.old.pk
    after = chain.unit_chain(loaded, moved.company.pk, AFTER)
    assert [lv.unit.name for lv in after] == ["9th Brigade", "3rd Company"]
    assert after[0].holders[0].command.person_id == moved.boss.pk
    # the battalion's old commander had the company under him before the change only
    found = art28.subordinates_on(loaded, moved.old.pk, BEFORE)
    assert [units for _c, _a, units in found] == [[moved.battalion.pk, moved.company.pk]]
    found = art28.subordinates_on(loaded, moved.new.pk, AFTER)
    assert [units for _c, _a, units in found] == [[moved.battalion.pk]]


@pytest.mark.django_db
def test_the_unit_chain_page_says_where_todays_hierarchy_is_used(
    moved: SimpleNamespace, analyst: User
) -> None:
    client = login(analyst)
    url = f"/law/command/units/{moved.company.pk}/?date="
    page = client.get(url + BEFORE.isoformat()).content.decode()
    assert "2nd Battalion" in page and "9th Brigade" not in page
    # the battalion has no dated period: its link to the brigade is today's
    assert "as recorded now (no dated period recorded)" in page
    page = client.get(url + AFTER.isoformat()).content.decode()
    assert "9th Brigade" in page and "2nd Battalion" not in page
    assert "no dated period is recorded for those units" not in page


@pytest.mark.django_db
def test_the_api_level_names_its_basis(moved: SimpleNamespace, analyst: User, bearer) -> None:
    client = bearer(analyst)
    url = f"/api/v1/law/command/units/{moved.company.pk}/chain?date={BEFORE.isoformat()}"
    levels = client.get(url).json()["levels"]
    assert [(lv["unit_name"], lv["basis"]) for lv in levels] == [
        ("1st Brigade", "top"),
        ("2nd Battalion", "current"),
        ("3rd Company", "dated"),
    ]


def _dated_deep(org: Organisation, levels: int) -> int:
    parent = None
    for depth in range(levels):
        current = unit(org, f"Dated {levels}-{depth}")
        command(current, person(org), CHANGE, None)
        if parent is not None:
            actions.add_unit_subordination(None, current, parent, valid_from=D(2020, 1, 1))
        parent = current
    assert parent is not None
    return parent.pk


def _count(user: User, org_id: int, unit_id: int) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        levels = chain.unit_chain(chain.load_hierarchy(user, org_id), unit_id, CHANGE)
    assert all(lv.basis is not Basis.CURRENT for lv in levels)
    return len(ctx.captured_queries), len(levels)


@pytest.mark.django_db
def test_dated_chains_cost_the_same_queries_at_any_depth(acme: Organisation, analyst: User) -> None:
    shallow, deep = _dated_deep(acme, 2), _dated_deep(acme, 8)
    analyst.forget_memberships()
    _count(analyst, acme.pk, shallow)  # warm the membership cache
    two, n2 = _count(analyst, acme.pk, shallow)
    eight, n8 = _count(analyst, acme.pk, deep)
    assert (n2, n8) == (2, 8)
    assert two == eight == 3
