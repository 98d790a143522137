"""What the records hold for a suspect under art. 28(a): per incident where units under the
person (the units they commanded on the incident's date and every unit below) are recorded as
perpetrators, those units, the violations attributed to them, and the material recorded.

For each element of superior responsibility (effective control, knowledge, failure to
prevent, repress or submit, causation) the summary says what is recorded for it: the command
records (formal command, for control) and the per-element records of the case files the
reader may see (``law.command.records``) that link the incident or one of its violations;
nothing being the usual and honest answer. The material linked to the incidents but assessed
against no element is listed apart. A constant number of queries, whatever the number of
incidents.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from justicework.core import policy
from justicework.core.actors import Requester
from justicework.evidence.models import Link
from justicework.law.catalogue import Element, catalogue
from justicework.law.command import records
from justicework.law.command.chain import (
    Command,
    Cover,
    Hierarchy,
    cover_between,
    descendants,
    window,
)
from justicework.law.models import CommandElementRecord
from justicework.violations.models import Incident, Perpetration, Source

#: the mode of liability and its elements (by number in the catalogue) this summary reports
MODE_ID = "28(a)"
CONTROL, KNOWLEDGE, FAILURE, CAUSATION = 3, 4, 5, 6
#: at most this many incidents are summarised (the newest); the page says when there are more
INCIDENT_LIMIT = 200


@dataclass(frozen=True)
class Attributed:
    violation_id: int
    violation_type: str
    unit_id: int
    unit_name: str
    involvement: str


@dataclass(frozen=True)
class Material:
    kind: str  # "source" or "evidence"
    id: int
    title: str
    detail: str  # the source's grade and type; "" for evidence items


@dataclass(frozen=True)
class ElementFinding:
    element: Element
    facts: tuple[str, ...]  # what is recorded for this element (plain statements)

    @property
    def nothing_recorded(self) -> bool:
        return not self.facts


@dataclass
class IncidentSummary:
    incident_id: int
    title: str
    date: dt.date
    last: dt.date  # the last day the incident's fuzzy date may fall on (== date: one day)
    commands: list[tuple[Command, Cover]] = field(default_factory=list)
    units: dict[int, str] = field(default_factory=dict)
    attributed: list[Attributed] = field(default_factory=list)
    material: list[Material] = field(default_factory=list)
    elements: list[ElementFinding] = field(default_factory=list)


@dataclass(frozen=True)
class Summary:
    elements: tuple[Element, ...]
    incidents: list[IncidentSummary]
    undated: list[tuple[int, str]]  # incidents with no date: no command can be resolved
    truncated: bool


def art28_elements() -> tuple[Element, ...]:
    mode = next(m for m in catalogue().modes_of_liability if m.id == MODE_ID)
    wanted = {CONTROL, KNOWLEDGE, FAILURE, CAUSATION}
    return tuple(e for e in mode.elements if e.number in wanted)


def subordinates_on(
    hierarchy: Hierarchy, person_id: int, first: dt.date, last: dt.date | None = None
) -> list[tuple[Command, Cover, list[int]]]:
    """The person's commands covering the days ``first`` to ``last`` (an incident's fuzzy
    date; one day by default), each with the units under it (itself included)."""
    out: list[tuple[Command, Cover, list[int]]] = []
    for command in hierarchy.commands:
        if command.person_id == person_id:
            others = hierarchy.by_unit.get(command.unit_id, ())
            answer = cover_between(command, first, last or first, others)
            if answer is not Cover.NO:
                under = descendants(hierarchy, command.unit_id, first, last or first)
                out.append((command, answer, under))
    return out


def summarise(user: Requester, hierarchy: Hierarchy, person_id: int) -> Summary:
    commanded = [c for c in hierarchy.commands if c.person_id == person_id]
    under = {u for c in commanded for u in descendants(hierarchy, c.unit_id)}
    rows = (
        Perpetration.objects.filter(
            unit_id__in=under,
            violation__incident__in=policy.visible(user, Incident, "view"),
        )
        .order_by("-violation__incident__start_date", "violation__incident_id", "pk")
        .values_list(
            "violation__incident_id",
            "violation__incident__title",
            "violation__incident__start_date",
            "violation__incident__end_date",
            "violation__incident__date_precision",
            "violation_id",
            "violation__type",
            "unit_id",
            "involvement",
        )
    )
    summaries: dict[int, IncidentSummary] = {}
    undated: dict[int, str] = {}
    then: dict[int, list[tuple[Command, Cover, list[int]]]] = {}
    dated: set[int] = set()
    for inc_id, title, start, end, precision, vio_id, vio_type, unit_id, involvement in rows:
        days = window(start, end, precision)
        if days is None:
            undated[inc_id] = title
            continue
        dated.add(inc_id)
        if inc_id not in summaries:
            if len(summaries) >= INCIDENT_LIMIT:
                continue
            summaries[inc_id] = IncidentSummary(inc_id, title, days[0], days[1])
            then[inc_id] = subordinates_on(hierarchy, person_id, *days)
        summary = summaries[inc_id]
        over = [(c, a) for c, a, units in then[inc_id] if unit_id in units]
        if over:
            name = hierarchy.units[unit_id].name
            summary.units[unit_id] = name
            summary.attributed.append(Attributed(vio_id, vio_type, unit_id, name, involvement))
            summary.commands += [pair for pair in over if pair not in summary.commands]
    incidents = [s for s in summaries.values() if s.attributed]
    _add_material(user, incidents)
    elements = art28_elements()
    recorded = (
        records.visible_rows(user, suspect_person_id=person_id, mode_id=MODE_ID)
        if incidents
        else []
    )
    for summary in incidents:
        violation_ids = {a.violation_id for a in summary.attributed}
        linked = records.incident_rows(recorded, summary.incident_id, violation_ids)
        summary.elements = _findings(hierarchy, summary, elements, linked)
    return Summary(elements, incidents, sorted(undated.items()), len(dated) > INCIDENT_LIMIT)


def _add_material(user: Requester, incidents: list[IncidentSummary]) -> None:
    """Sources and evidence items linked to the incidents or their attributed violations,
    as the reader may see them (three queries)."""
    by_incident = {s.incident_id: s for s in incidents}
    of_violation = {a.violation_id: s.incident_id for s in incidents for a in s.attributed}
    seen: dict[int, set[tuple[str, int]]] = defaultdict(set)

    def add(incident_id: int, material: Material) -> None:
        key = (material.kind, material.id)
        if key not in seen[incident_id]:
            seen[incident_id].add(key)
            by_incident[incident_id].material.append(material)

    sources = policy.visible(user, Source, "view")
    fields = ("source_id", "source__title", "source__kind", "source__reliability")
    grade = "source__credibility"
    for row in Source.incidents.through.objects.filter(
        incident_id__in=by_incident, source__in=sources
    ).values_list("incident_id", *fields, grade):
        add(row[0], Material("source", row[1], row[2], f"{row[4]}{row[5]} · {row[3]}"))
    for row in Source.violations.through.objects.filter(
        violation_id__in=of_violation, source__in=sources
    ).values_list("violation_id", *fields, grade):
        add(
            of_violation[row[0]], Material("source", row[1], row[2], f"{row[4]}{row[5]} · {row[3]}")
        )
    links = policy.visible(user, Link, "view").filter(
        Q(incident_id__in=by_incident) | Q(violation_id__in=of_violation)
    )
    for incident_id, violation_id, item_id, name in links.values_list(
        "incident_id", "violation_id", "item_id", "item__display_name"
    ):
        target = incident_id if incident_id is not None else of_violation[violation_id]
        add(target, Material("evidence", item_id, name, ""))


def _findings(
    hierarchy: Hierarchy,
    summary: IncidentSummary,
    elements: tuple[Element, ...],
    rows: list[records.Row],
) -> list[ElementFinding]:
    """What is recorded per element: for effective control the command records (formal
    command, which effective control needs more than), and for every element the case files'
    records linking this incident or its violations."""
    control = tuple(
        _command_fact(hierarchy, command, answer) for command, answer in summary.commands
    )
    return [
        ElementFinding(
            element,
            (control if element.number == CONTROL else ())
            + tuple(_record_fact(r) for r in rows if r.element == element.number),
        )
        for element in elements
    ]


def _record_fact(row: records.Row) -> str:
    text = _("Case file #%(case)s: %(label)s %(bearing)s this element (%(strength)s).") % {
        "case": row.case_id,
        "label": row.label,
        "bearing": CommandElementRecord.Bearing(row.bearing).label,
        "strength": CommandElementRecord.Strength(row.strength).label,
    }
    return f"{text} {row.note}" if row.note else text


def _command_fact(hierarchy: Hierarchy, command: Command, answer: Cover) -> str:
    unit = hierarchy.units[command.unit_id].name
    start = command.start.isoformat() if command.start else _("an unknown date")
    end = command.end.isoformat() if command.end else _("no recorded end")
    if answer is Cover.YES:
        text = _("Recorded as commander of %(unit)s (%(title)s) from %(start)s to %(end)s.")
    else:
        text = _(
            "May have commanded %(unit)s (%(title)s) at the time: recorded from %(start)s to "
            "%(end)s, which does not settle it for the incident's date."
        )
    return text % {"unit": unit, "title": command.title or "—", "start": start, "end": end}
