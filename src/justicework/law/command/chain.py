"""The chain of command on a date, from the dated hierarchy (``UnitSubordination``, falling
back to ``Unit.parent``) and ``UnitCommander`` date ranges.

:func:`load_hierarchy` reads the units, their dated subordinations and the commanders an
organisation's records hold (as the reader may see them) in three queries; everything else is a
pure function over the result, so a chain eight levels deep costs what a chain of two costs.

Dates are taken honestly. A command with both dates covers the days between them. A missing
end date is an open end (still in command, or the end was not recorded): it covers the date,
unless another commander of the same unit is recorded as starting after it and on or before the
date, then it only *may* cover it. A missing start date means the start is unknown: the command
may cover any date up to its end. A date no command record settles is "not recorded": the
platform does not know who commanded, which is not the same as "nobody commanded".

The hierarchy on a date: a unit with dated subordinations recorded is part of the unit whose
period covers the date (a missing start reaches back, a missing end is open), and of none when
no period covers it (it stood on its own then, as far as the records go). A unit with no dated
subordination at all falls back to ``Unit.parent``, the hierarchy as recorded now; each level
says which (:class:`Basis`), and the pages say so.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from justicework.core import policy
from justicework.core.actors import Requester
from justicework.violations.models import Unit, UnitCommander, UnitSubordination

#: a guard against a cycle in ``parent`` (the forms refuse one; imported data may not)
MAX_DEPTH = 64


class Cover(enum.Enum):
    """Whether a command record covers a date."""

    YES = "yes"
    MAYBE = "maybe"  # an unknown start, or an open end after which someone else started
    NO = "no"


class Basis(enum.Enum):
    """How a level's link to the unit above it on the date was established."""

    DATED = "dated"  # a dated subordination covers the date
    CURRENT = "current"  # no dated subordination recorded: ``Unit.parent``, as recorded now
    NONE_ON_DATE = "none_on_date"  # dated subordinations recorded, none covering the date
    TOP = "top"  # no parent recorded at all


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
class Subordination:
    """``unit_id`` was part of ``parent_id`` from ``start`` to ``end`` (``None``: open)."""

    id: int
    unit_id: int
    parent_id: int
    start: dt.date | None
    end: dt.date | None

    def covers(self, first: dt.date, last: dt.date | None = None) -> bool:
        """Does the period share a day with ``first`` to ``last`` (one day by default)?"""
        last = last or first
        return (self.start is None or self.start <= last) and (
            self.end is None or self.end >= first
        )


@dataclass(frozen=True)
class Hierarchy:
    """An organisation's units, dated subordinations and commanders, indexed for walking in
    memory. ``edges``: parent -> its links downwards, each ``(child, start, end)``, dated or
    (for a unit with no dated subordination) from ``Unit.parent`` with open ends."""

    units: Mapping[int, UnitNode]
    commands: tuple[Command, ...]
    children: Mapping[int, tuple[int, ...]] = field(default_factory=dict)
    by_unit: Mapping[int, tuple[Command, ...]] = field(default_factory=dict)
    dated: Mapping[int, tuple[Subordination, ...]] = field(default_factory=dict)
    edges: Mapping[int, tuple[Subordination, ...]] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        units: Iterable[UnitNode],
        commands: Iterable[Command],
        subordinations: Iterable[Subordination] = (),
    ) -> Hierarchy:
        unit_map = {unit.id: unit for unit in units}
        dated: dict[int, list[Subordination]] = {}
        for sub in subordinations:
            if sub.unit_id in unit_map and sub.parent_id in unit_map:
                dated.setdefault(sub.unit_id, []).append(sub)
        edges: dict[int, list[Subordination]] = {}
        for unit in unit_map.values():
            links = dated.get(unit.id) or (
                [Subordination(0, unit.id, unit.parent_id, None, None)]
                if unit.parent_id is not None
                else []
            )
            for link in links:
                edges.setdefault(link.parent_id, []).append(link)
        by_unit: dict[int, list[Command]] = {}
        kept = tuple(c for c in commands if c.unit_id in unit_map)
        for command in kept:
            by_unit.setdefault(command.unit_id, []).append(command)
        children = {
            parent: tuple(sorted({e.unit_id for e in links}, key=lambda i: unit_map[i].name))
            for parent, links in edges.items()
        }
        return cls(
            unit_map,
            kept,
            children,
            {k: tuple(v) for k, v in by_unit.items()},
            {k: tuple(sorted(v, key=_by_start)) for k, v in dated.items()},
            {
                k: tuple(sorted(v, key=lambda e: (unit_map[e.unit_id].name, _by_start(e))))
                for k, v in edges.items()
            },
        )


def _by_start(sub: Subordination) -> tuple[dt.date, int]:
    return sub.start or dt.date.min, sub.id


@dataclass(frozen=True)
class Holder:
    command: Command
    cover: Cover  # YES or MAYBE


@dataclass(frozen=True)
class Level:
    unit: UnitNode
    state: LevelState
    holders: tuple[Holder, ...]
    #: how this unit's link to the level above was established on the date
    basis: Basis = Basis.TOP


def load_hierarchy(user: Requester, organisation_id: int) -> Hierarchy:
    """The organisation's units, their dated subordinations and commanders that ``user`` may
    see: three queries."""
    units = (
        policy.visible(user, Unit, "view")
        .filter(organisation_id=organisation_id)
        .values_list("id", "name", "kind", "parent_id")
    )
    subordinations = (
        policy.visible(user, UnitSubordination, "view")
        .filter(organisation_id=organisation_id)
        .values_list("id", "unit_id", "parent_id", "valid_from", "valid_to")
    )
    commands = (
        policy.visible(user, UnitCommander, "view")
        .filter(organisation_id=organisation_id)
        .values_list(
            "id", "unit_id", "person_id", "person__code", "title", "start_date", "end_date"
        )
    )
    return Hierarchy.build(
        (UnitNode(*row) for row in units),
        (Command(*row) for row in commands),
        (Subordination(*row) for row in subordinations),
    )


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


def level(hierarchy: Hierarchy, unit_id: int, on: dt.date, basis: Basis = Basis.TOP) -> Level:
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
    return Level(hierarchy.units[unit_id], state, tuple(holders), basis)


def parent_on(hierarchy: Hierarchy, unit_id: int, on: dt.date | None) -> tuple[int | None, Basis]:
    """The unit ``unit_id`` was part of on ``on`` and how that is known (``on=None``: today's
    ``Unit.parent``)."""
    dated = hierarchy.dated.get(unit_id, ())
    if on is not None and dated:
        found = next((sub for sub in dated if sub.covers(on)), None)
        return (found.parent_id, Basis.DATED) if found else (None, Basis.NONE_ON_DATE)
    parent = hierarchy.units[unit_id].parent_id
    return parent, Basis.CURRENT if parent is not None else Basis.TOP


def ancestors(hierarchy: Hierarchy, unit_id: int, on: dt.date | None = None) -> list[int]:
    """``unit_id`` and the units above it on ``on`` (today's hierarchy when None), nearest
    first."""
    return [uid for uid, _basis in ancestry(hierarchy, unit_id, on)]


def ancestry(
    hierarchy: Hierarchy, unit_id: int, on: dt.date | None = None
) -> list[tuple[int, Basis]]:
    """``unit_id`` and the units above it on ``on``, nearest first, each with how its link
    upwards is known (stops at a cycle or a unit the reader may not see)."""
    out: list[tuple[int, Basis]] = []
    seen: set[int] = set()
    current: int | None = unit_id
    while current is not None and current in hierarchy.units and current not in seen:
        seen.add(current)
        parent, basis = parent_on(hierarchy, current, on)
        known = parent is not None and parent in hierarchy.units and parent not in seen
        out.append((current, basis if known or parent is None else Basis.TOP))
        if len(out) >= MAX_DEPTH:
            break
        current = parent
    return out


def unit_chain(hierarchy: Hierarchy, unit_id: int, on: dt.date) -> list[Level]:
    """The chain of command of a unit on ``on``: the top of the hierarchy on that date first,
    the unit last, each level with who commanded it (or that the records do not say)."""
    return [
        level(hierarchy, uid, on, basis)
        for uid, basis in reversed(ancestry(hierarchy, unit_id, on))
    ]


def descendants(
    hierarchy: Hierarchy, unit_id: int, first: dt.date | None = None, last: dt.date | None = None
) -> list[int]:
    """``unit_id`` and every unit under it (breadth first): at some day from ``first`` to
    ``last`` (one day when ``last`` is None), or at any time when ``first`` is None."""
    out = [unit_id]
    seen = {unit_id}
    index = 0
    while index < len(out):
        for edge in hierarchy.edges.get(out[index], ()):
            child = edge.unit_id
            if child in seen or (first is not None and not edge.covers(first, last)):
                continue
            seen.add(child)
            out.append(child)
        index += 1
    return out


def uses_current_hierarchy(levels: Iterable[Level]) -> bool:
    """Does any link of the chain come from today's ``Unit.parent`` (no dates recorded)?"""
    return any(lv.basis is Basis.CURRENT for lv in levels)


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
