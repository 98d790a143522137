"""The chain of command on a date, from ``Unit.parent`` and ``UnitCommander`` date ranges.

:func:`load_hierarchy` reads the units and the commanders an organisation's records hold (as
the reader may see them) in two queries; everything else is a pure function over the result,
so a chain eight levels deep costs what a chain of two costs.

Dates are taken honestly. A command with both dates covers the days between them. A missing
end date is an open end (still in command, or the end was not recorded): it covers the date,
unless another commander of the same unit is recorded as starting after it and on or before the
date, then it only *may* cover it. A missing start date means the start is unknown: the command
may cover any date up to its end. A date no command record settles is "not recorded": the
platform does not know who commanded, which is not the same as "nobody commanded".

The hierarchy itself has no dates (``Unit.parent`` is one link, as recorded now): the chain on
a past date uses today's hierarchy, and the pages say so.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from justicework.core import policy
from justicework.core.actors import Requester
from justicework.violations.models import Unit, UnitCommander

#: a guard against a cycle in ``parent`` (the forms refuse one; imported data may not)
MAX_DEPTH = 64


class Cover(enum.Enum):
    """Whether a command record covers a date."""

    YES = "yes"
    MAYBE = "maybe"  # an unknown start, or an open end after which someone else started
    NO = "no"


class LevelState(enum.Enum):
    KNOWN = "known"  # at least one record certainly covers the date
    UNCERTAIN = "uncertain"  # only records whose dates do not settle it
    NOT_RECORDED = "not_recorded"  # no record covers the date: unknown, not "nobody"


@dataclass(frozen=True)
class UnitNode:
    id: int
    name: str
    kind: str
    parent_id: int | None


@dataclass(frozen=True)
class Command:
    id: int
    unit_id: int
    person_id: int
    person_code: str
    title: str
    start: dt.date | None
    end: dt.date | None


@dataclass(frozen=True)
class Hierarchy:
    """An organisation's units and commanders, indexed for walking in memory."""

    units: Mapping[int, UnitNode]
    commands: tuple[Command, ...]
    children: Mapping[int, tuple[int, ...]] = field(default_factory=dict)
    by_unit: Mapping[int, tuple[Command, ...]] = field(default_factory=dict)

    @classmethod
    def build(cls, units: Iterable[UnitNode], commands: Iterable[Command]) -> Hierarchy:
        unit_map = {unit.id: unit for unit in units}
        children: dict[int, list[int]] = {}
        for unit in unit_map.values():
            if unit.parent_id is not None:
                children.setdefault(unit.parent_id, []).append(unit.id)
        by_unit: dict[int, list[Command]] = {}
        kept = tuple(c for c in commands if c.unit_id in unit_map)
        for command in kept:
            by_unit.setdefault(command.unit_id, []).append(command)
        return cls(
            unit_map,
            kept,
            {k: tuple(sorted(v, key=lambda i: unit_map[i].name)) for k, v in children.items()},
            {k: tuple(v) for k, v in by_unit.items()},
        )


@dataclass(frozen=True)
class Holder:
    command: Command
    cover: Cover  # YES or MAYBE


@dataclass(frozen=True)
class Level:
    unit: UnitNode
    state: LevelState
    holders: tuple[Holder, ...]


def load_hierarchy(user: Requester, organisation_id: int) -> Hierarchy:
    """The organisation's units and commanders that ``user`` may see: two queries."""
    units = (
        policy.visible(user, Unit, "view")
        .filter(organisation_id=organisation_id)
        .values_list("id", "name", "kind", "parent_id")
    )
    commands = (
        policy.visible(user, UnitCommander, "view")
        .filter(organisation_id=organisation_id)
        .values_list(
            "id", "unit_id", "person_id", "person__code", "title", "start_date", "end_date"
        )
    )
    return Hierarchy.build((UnitNode(*row) for row in units), (Command(*row) for row in commands))


def cover(command: Command, on: dt.date, others: Iterable[Command] = ()) -> Cover:
    """Does ``command`` cover the day ``on``? ``others``: the unit's other commands (an open
    end followed by a later recorded start only *may* cover)."""
    if command.end is not None and on > command.end:
        return Cover.NO
    if command.start is not None and on < command.start:
        return Cover.NO
    if command.start is None:
        return Cover.MAYBE
    if command.end is None:
        start = command.start
        for other in others:
            if other.id != command.id and other.start and start < other.start <= on:
                return Cover.MAYBE
    return Cover.YES


def window(
    start: dt.date | None, end: dt.date | None, precision: str
) -> tuple[dt.date, dt.date] | None:
    """The days a fuzzy date (``violations.dates``) may fall on: a month's or a year's days, a
    range's; ``None`` when unknown."""
    if start is None or precision == "unknown":
        return None
    if precision == "month":
        return start, (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(
            days=1
        )
    if precision == "year":
        return start, start.replace(month=12, day=31)
    if precision == "range" and end is not None:
        return start, end
    return start, start


def cover_between(
    command: Command, first: dt.date, last: dt.date, others: Iterable[Command] = ()
) -> Cover:
    """Does ``command`` cover every day from ``first`` to ``last``? YES only if both ends are
    certainly covered (a command is one stretch of days); NO only if no day can be."""
    at_first, at_last = cover(command, first, others), cover(command, last, others)
    if at_first is Cover.YES and at_last is Cover.YES:
        return Cover.YES
    if command.end is not None and command.end < first:
        return Cover.NO
    if command.start is not None and command.start > last:
        return Cover.NO
    return Cover.MAYBE


def level(hierarchy: Hierarchy, unit_id: int, on: dt.date) -> Level:
    commands = hierarchy.by_unit.get(unit_id, ())
    holders = []
    for command in commands:
        answer = cover(command, on, commands)
        if answer is not Cover.NO:
            holders.append(Holder(command, answer))
    if any(h.cover is Cover.YES for h in holders):
        state = LevelState.KNOWN
    elif holders:
        state = LevelState.UNCERTAIN
    else:
        state = LevelState.NOT_RECORDED
    holders.sort(key=lambda h: (h.cover is not Cover.YES, h.command.start or dt.date.min))
    return Level(hierarchy.units[unit_id], state, tuple(holders))


def ancestors(hierarchy: Hierarchy, unit_id: int) -> list[int]:
    """``unit_id`` and the units above it, nearest first (stops at a cycle or a unit the
    reader may not see)."""
    out: list[int] = []
    current: int | None = unit_id
    while current is not None and current in hierarchy.units and current not in out:
        out.append(current)
        if len(out) >= MAX_DEPTH:
            break
        current = hierarchy.units[current].parent_id
    return out


def unit_chain(hierarchy: Hierarchy, unit_id: int, on: dt.date) -> list[Level]:
    """The chain of command of a unit on ``on``: the top of the hierarchy first, the unit
    last, each level with who commanded it (or that the records do not say)."""
    return [level(hierarchy, uid, on) for uid in reversed(ancestors(hierarchy, unit_id))]


def descendants(hierarchy: Hierarchy, unit_id: int) -> list[int]:
    """``unit_id`` and every unit under it (breadth first)."""
    out = [unit_id]
    seen = {unit_id}
    index = 0
    while index < len(out):
        for child in hierarchy.children.get(out[index], ()):
            if child not in seen:
                seen.add(child)
                out.append(child)
        index += 1
    return out


@dataclass(frozen=True)
class PersonCommand:
    """A unit a person commanded (or may have) on a date, and the chain above it."""

    holder: Holder
    chain: list[Level]


def person_chains(hierarchy: Hierarchy, person_id: int, on: dt.date) -> list[PersonCommand]:
    """The units ``person_id`` commanded on ``on`` (certain ones first), each with its chain."""
    out = []
    for command in hierarchy.commands:
        if command.person_id != person_id:
            continue
        answer = cover(command, on, hierarchy.by_unit.get(command.unit_id, ()))
        if answer is not Cover.NO:
            chain = unit_chain(hierarchy, command.unit_id, on)
            out.append(PersonCommand(Holder(command, answer), chain))
    out.sort(key=lambda pc: (pc.holder.cover is not Cover.YES, pc.chain[-1].unit.name))
    return out


def person_commands(hierarchy: Hierarchy, person_id: int) -> list[Command]:
    """Every command record of ``person_id`` (for the person's page: when to look)."""
    return sorted(
        (c for c in hierarchy.commands if c.person_id == person_id),
        key=lambda c: (c.start or dt.date.min, c.unit_id),
    )
