"""Incidents by unit over time and place: the incidents attributed to a unit or any unit
under it in a period, counted per month and per unit, and their places for the map (the kind
of view that supports "widespread or systematic"). A fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _

from justicework.core import policy
from justicework.core.actors import Requester
from justicework.law.command.chain import Hierarchy, descendants
from justicework.violations.models import Incident, Location, Perpetration

#: months shown at most (20 years); a longer period is refused with a clear message
MAX_MONTHS = 240
#: places on the map at most (the violations map's own bound)
MAP_LIMIT = 2000


class PeriodError(ValueError):
    """A period that cannot be shown (its message names what is wrong)."""


@dataclass(frozen=True)
class Pattern:
    months: list[dt.date]  # the first day of each month of the period
    units: list[tuple[int, str, int]]  # (unit id, name, incidents in the period), most first
    counts: dict[tuple[int, dt.date], int]  # (unit id, month) -> distinct incidents
    totals: dict[dt.date, int]  # month -> distinct incidents (all units)
    undated: int  # incidents of these units with no date (not on the timeline)
    incident_ids: list[int]  # the dated incidents in the period, newest first

    def count(self, unit_id: int, month: dt.date) -> int:
        return self.counts.get((unit_id, month), 0)

    @property
    def peak(self) -> int:
        return max(self.counts.values(), default=0)


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    out = []
    current = month_of(first)
    while current <= last:
        out.append(current)
        if len(out) > MAX_MONTHS:
            raise PeriodError(
                _("The period is longer than %(n)d months: shorten it.") % {"n": MAX_MONTHS}
            )
        current = (current + dt.timedelta(days=32)).replace(day=1)
    return out


def incident_pattern(
    user: Requester,
    hierarchy: Hierarchy,
    unit_id: int,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Pattern:
    """The pattern of ``unit_id`` and its subordinates between ``start`` and ``end``
    (inclusive; either open). One query for the attributions."""
    if start and end and end < start:
        raise PeriodError(_("The end of the period is before its start."))
    units = descendants(hierarchy, unit_id)
    rows = (
        Perpetration.objects.filter(
            unit_id__in=units, violation__incident__in=policy.visible(user, Incident, "view")
        )
        .values_list("unit_id", "violation__incident_id", "violation__incident__start_date")
        .distinct()
    )
    per_unit: dict[int, set[int]] = {}
    per_month: dict[dt.date, set[int]] = {}
    seen: dict[int, dt.date] = {}
    undated: set[int] = set()
    cells: Counter[tuple[int, dt.date]] = Counter()
    pairs: set[tuple[int, int]] = set()
    for unit, incident, day in rows:
        if day is None:
            undated.add(incident)
            continue
        if (start and day < start) or (end and day > end):
            continue
        month = month_of(day)
        if (unit, incident) not in pairs:
            pairs.add((unit, incident))
            cells[(unit, month)] += 1
        per_unit.setdefault(unit, set()).add(incident)
        per_month.setdefault(month, set()).add(incident)
        seen[incident] = day
    first = start or min(seen.values(), default=None)
    last = end or max(seen.values(), default=None)
    months = months_between(first, last) if first and last else []
    ranked = sorted(
        ((u, hierarchy.units[u].name, len(ids)) for u, ids in per_unit.items()),
        key=lambda row: (-row[2], row[1]),
    )
    newest = sorted(seen, key=lambda i: (seen[i], i), reverse=True)
    return Pattern(
        months,
        ranked,
        dict(cells),
        {m: len(ids) for m, ids in per_month.items()},
        len(undated),
        newest,
    )


def map_points(incident_ids: list[int]) -> tuple[list[dict[str, object]], bool]:
    """The places with coordinates of the newest ``MAP_LIMIT`` incidents (already checked by
    the policy in :func:`incident_pattern`), as the violations map draws them."""
    ids = incident_ids[:MAP_LIMIT]
    rows = (
        Location.objects.filter(
            incident_id__in=ids, latitude__isnull=False, longitude__isnull=False
        )
        .order_by("-incident_id", "pk")
        .values(
            "incident_id",
            "incident__title",
            "incident__start_date",
            "place_name",
            "latitude",
            "longitude",
        )
    )
    points: list[dict[str, object]] = [
        {
            "lat": row["latitude"],
            "lng": row["longitude"],
            "title": row["incident__title"],
            "incident_id": row["incident_id"],
            "date": row["incident__start_date"].isoformat() if row["incident__start_date"] else "",
            "place": row["place_name"],
        }
        for row in rows
    ]
    return points, len(incident_ids) > MAP_LIMIT
