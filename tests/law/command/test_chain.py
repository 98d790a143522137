"""The chain of command on dates: pure functions over an in-memory hierarchy, and the loader's
fixed number of queries."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from justicework.core.models import Organisation, User
from justicework.law.command import chain
from justicework.law.command.chain import Command, Cover, Hierarchy, LevelState, UnitNode

from .conftest import CHANGE, command, person, unit

D = dt.date


def hierarchy(*commands: Command) -> Hierarchy:
    units = [UnitNode(1, "Army", "armed_forces", None), UnitNode(2, "Brigade", "armed_forces", 1)]
    units += [UnitNode(3, "Battalion", "armed_forces", 2), UnitNode(4, "Other", "police", None)]
    return Hierarchy.build(units, commands)


def cmd(pk: int, unit_id: int, person_id: int, start: D | None, end: D | None) -> Command:
    return Command(pk, unit_id, person_id, f"P-{person_id}", "", start, end)


OLD = cmd(1, 3, 10, D(2021, 1, 1), D(2023, 3, 31))
NEW = cmd(2, 3, 11, D(2023, 4, 1), None)


@pytest.mark.parametrize(
    ("on", "holder"),
    [(D(2023, 3, 31), 10), (D(2023, 4, 1), 11), (D(2023, 4, 2), 11)],
    ids=["day-before", "day-of", "day-after"],
)
def test_chain_across_a_change_of_commander(on: D, holder: int) -> None:
    levels = chain.unit_chain(hierarchy(OLD, NEW), 3, on)
    assert [lv.unit.name for lv in levels] == ["Army", "Brigade", "Battalion"]
    bottom = levels[-1]
    assert bottom.state is LevelState.KNOWN
    assert [h.command.person_id for h in bottom.holders] == [holder]


def test_levels_with_no_record_are_not_recorded_not_empty() -> None:
    levels = chain.unit_chain(hierarchy(OLD, NEW), 3, D(2023, 4, 1))
    assert [lv.state for lv in levels[:2]] == [LevelState.NOT_RECORDED] * 2


def test_unknown_start_date_is_uncertain_not_known() -> None:
    unknown_start = cmd(3, 2, 12, None, D(2022, 12, 31))
    before = chain.unit_chain(hierarchy(unknown_start), 3, D(2022, 6, 1))[1]
    assert before.state is LevelState.UNCERTAIN
    assert before.holders[0].cover is Cover.MAYBE
    after = chain.unit_chain(hierarchy(unknown_start), 3, D(2023, 1, 1))[1]
    assert after.state is LevelState.NOT_RECORDED


def test_record_without_any_date_is_uncertain() -> None:
    level = chain.level(hierarchy(cmd(4, 1, 13, None, None)), 1, D(1999, 1, 1))
    assert level.state is LevelState.UNCERTAIN


def test_open_end_followed_by_a_later_start_only_may_cover() -> None:
    first = cmd(5, 1, 14, D(2020, 1, 1), None)  # never closed
    second = cmd(6, 1, 15, D(2022, 1, 1), None)
    level = chain.level(hierarchy(first, second), 1, D(2022, 6, 1))
    assert level.state is LevelState.KNOWN
    assert [(h.command.person_id, h.cover) for h in level.holders] == [
        (15, Cover.YES),
        (14, Cover.MAYBE),
    ]
    assert chain.cover(first, D(2021, 6, 1), [first, second]) is Cover.YES


def test_person_commanding_two_units_gets_both_chains() -> None:
    both = hierarchy(cmd(7, 3, 16, D(2023, 1, 1), None), cmd(8, 4, 16, D(2023, 2, 1), None))
    found = chain.person_chains(both, 16, D(2023, 3, 1))
    assert sorted(pc.chain[-1].unit.name for pc in found) == ["Battalion", "Other"]
    battalion = next(pc for pc in found if pc.chain[-1].unit.id == 3)
    assert [lv.unit.id for lv in battalion.chain] == [1, 2, 3]
    assert chain.person_chains(both, 16, D(2023, 1, 15))[0].chain[-1].unit.id == 3
    assert chain.person_chains(both, 16, D(2022, 12, 31)) == []


def test_descendants_and_a_cycle_does_not_loop() -> None:
    units = [UnitNode(1, "A", "x", 2), UnitNode(2, "B", "x", 1), UnitNode(3, "C", "x", 2)]
    looped = Hierarchy.build(units, [])
    assert chain.ancestors(looped, 3) == [3, 2, 1]
    assert sorted(chain.descendants(looped, 2)) == [1, 2, 3]


def _deep(org: Organisation, levels: int) -> int:
    parent = None
    for depth in range(levels):
        parent = unit(org, f"Level {depth}", parent)
        command(parent, person(org), CHANGE, None)
    assert parent is not None
    return parent.pk


def _queries(user: User, org_id: int, unit_id: int) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        levels = chain.unit_chain(chain.load_hierarchy(user, org_id), unit_id, CHANGE)
    assert all(lv.state is LevelState.KNOWN for lv in levels)
    return len(ctx.captured_queries), len(levels)


@pytest.mark.django_db
def test_eight_levels_cost_the_queries_of_two(acme: Organisation, analyst: User) -> None:
    shallow = _deep(acme, 2)
    deep = _deep(acme, 8)
    analyst.forget_memberships()
    _queries(analyst, acme.pk, shallow)  # warm the membership cache
    two, n2 = _queries(analyst, acme.pk, shallow)
    eight, n8 = _queries(analyst, acme.pk, deep)
    assert (n2, n8) == (2, 8)
    assert two == eight <= 3


@pytest.mark.django_db
def test_chain_from_the_database_across_the_change(
    forces: SimpleNamespace, analyst: User, acme: Organisation
) -> None:
    loaded = chain.load_hierarchy(analyst, acme.pk)
    for on, who in [(CHANGE - dt.timedelta(days=1), forces.old), (CHANGE, forces.new)]:
        levels = chain.unit_chain(loaded, forces.company.pk, on)
        assert [lv.unit.name for lv in levels] == ["1st Brigade", "2nd Battalion", "3rd Company"]
        assert [h.command.person_id for h in levels[1].holders] == [who.pk]
        assert levels[0].holders[0].command.person_id == forces.general.pk
        assert levels[2].state is LevelState.NOT_RECORDED
