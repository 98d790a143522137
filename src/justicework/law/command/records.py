"""The one read path for the per-element art. 28 records (``law.models.CommandElementRecord``):
the case's page and API, and the art. 28 summary of a person.

A record is left out when the reader may not see it (its case, by ``law.rules_command``), its
suspect or the fact it links (need-to-know, a restricted incident, a survivor's consent). Every
element of the mode is listed, those with nothing recorded too. The number of queries does not
depend on the number of records: one for the records, one per kind of suspect and of link
present.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from justicework.core import policy
from justicework.core.actors import Requester
from justicework.law.actions_cases import ENTRY_LINKS, link_models
from justicework.law.actions_command import mode_elements
from justicework.law.catalogue import Element
from justicework.law.models import CaseFile, Charge, CommandElementRecord
from justicework.law.models.command_records import LINKS, MODES
from justicework.violations.models import Person, Unit

#: how a linked record is named: the fields read for its label, by link kind
LABEL_FIELDS = {
    "violation": ("type", "incident__title"),
    "incident": ("title",),
    "item": ("display_name",),
    "source": ("title",),
}


@dataclass(frozen=True)
class Row:
    """A record as the reader may see it."""

    id: int
    case_id: int
    suspect: tuple[str, int]  # ("person" | "unit", id)
    mode_id: str
    element: int
    link: tuple[str, int]  # ("violation" | "incident" | "item" | "source", id)
    label: str
    bearing: str
    strength: str
    note: str
    concerns_from: dt.date | None
    concerns_to: dt.date | None


@dataclass
class ElementRecords:
    element: Element
    rows: list[Row] = field(default_factory=list)

    @property
    def nothing_recorded(self) -> bool:
        return not self.rows

    @property
    def contradicted(self) -> bool:
        return any(r.bearing == CommandElementRecord.Bearing.CONTRADICTS for r in self.rows)


@dataclass(frozen=True)
class SuspectMode:
    """One suspect under one mode in one case: every element, with what is recorded."""

    case_id: int
    case_title: str
    suspect: tuple[str, int]
    suspect_label: str
    mode_id: str
    elements: list[ElementRecords]

    @property
    def empty_elements(self) -> list[Element]:
        return [e.element for e in self.elements if e.nothing_recorded]


def _labels(user: Requester, kind: str, ids: set[int]) -> dict[int, str]:
    """The ``ids`` of ``kind`` the reader may see, with their labels (one query)."""
    if not ids:
        return {}
    if kind in ("person", "unit"):
        model: Any = Person if kind == "person" else Unit
        name = "code" if kind == "person" else "name"
        rows = policy.visible(user, model, "view").filter(pk__in=sorted(ids))
        return {pk: str(label) for pk, label in rows.values_list("pk", name)}
    model = link_models()[ENTRY_LINKS[kind]]
    rows = policy.visible(user, model, "view").filter(pk__in=sorted(ids))
    out = {}
    for pk, *values in rows.values_list("pk", *LABEL_FIELDS[kind]):
        text = f"{values[0]} ({values[1]})" if kind == "violation" else str(values[0])
        out[pk] = f"#{pk} {text}"
    return out


def _suspect(rec: CommandElementRecord) -> tuple[str, int]:
    if rec.suspect_person_id is not None:
        return "person", rec.suspect_person_id
    assert rec.suspect_unit_id is not None  # a check constraint: exactly one suspect
    return "unit", rec.suspect_unit_id


def visible_rows(user: Requester, **filters: Any) -> list[Row]:
    """The records matching ``filters`` that ``user`` may read, in full."""
    records = list(
        policy.visible(user, CommandElementRecord, "view")
        .filter(**filters)
        .order_by("case_id", "mode_id", "element", "pk")
    )
    wanted: dict[str, set[int]] = {kind: set() for kind in ("person", "unit", *LINKS)}
    for rec in records:
        kind, pk = _suspect(rec)
        wanted[kind].add(pk)
        wanted[rec.link_field].add(getattr(rec, f"{rec.link_field}_id"))
    labels = {kind: _labels(user, kind, ids) for kind, ids in wanted.items()}
    rows = []
    for rec in records:
        suspect, kind = _suspect(rec), rec.link_field
        link_id = getattr(rec, f"{kind}_id")
        if suspect[1] not in labels[suspect[0]] or link_id not in labels[kind]:
            continue  # the reader may not see the suspect or the fact: left out
        rows.append(
            Row(
                id=rec.pk,
                case_id=rec.case_id,
                suspect=suspect,
                mode_id=rec.mode_id,
                element=rec.element,
                link=(kind, link_id),
                label=labels[kind][link_id],
                bearing=rec.bearing,
                strength=rec.strength,
                note=rec.note,
                concerns_from=rec.concerns_from,
                concerns_to=rec.concerns_to,
            )
        )
    return rows


def group(
    case: tuple[int, str],
    suspect: tuple[str, int],
    suspect_label: str,
    mode_id: str,
    rows: Iterable[Row],
) -> SuspectMode:
    """Every element of ``mode_id`` with the ``rows`` recorded for it in this case and suspect."""
    cells: dict[int, list[Row]] = {}
    for row in rows:
        if (row.case_id, row.suspect, row.mode_id) == (case[0], suspect, mode_id):
            cells.setdefault(row.element, []).append(row)
    elements = [ElementRecords(e, cells.get(e.number, [])) for e in mode_elements(mode_id)]
    return SuspectMode(case[0], case[1], suspect, suspect_label, mode_id, elements)


def case_modes(user: Requester, case: CaseFile) -> list[str]:
    """The modes of superior responsibility the case charges (one query)."""
    charged = policy.visible(user, Charge).filter(case=case, mode_id__in=MODES)
    return sorted(set(charged.values_list("mode_id", flat=True)))


def for_case(user: Requester, case: CaseFile) -> list[SuspectMode]:
    """Each suspect of the case the reader may see, under each art. 28 mode the case charges."""
    modes = case_modes(user, case)
    if not modes:
        return []
    suspect_ids = {
        "person": case.suspect_persons.values("pk"),
        "unit": case.suspect_units.values("pk"),
    }
    suspects = [
        (kind, pk, label)
        for kind, ids in suspect_ids.items()
        for pk, label in (
            policy.visible(user, Person if kind == "person" else Unit, "view")
            .filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk", "code" if kind == "person" else "name")
        )
    ]
    rows = visible_rows(user, case=case)
    return [
        group((case.pk, case.title), (kind, pk), str(label), mode, rows)
        for kind, pk, label in suspects
        for mode in modes
    ]


def for_person(user: Requester, person: Person) -> list[SuspectMode]:
    """The person as a suspect under art. 28 in every case the reader may see."""
    pairs = (
        policy.visible(user, CaseFile)
        .filter(suspect_persons=person, charges__mode_id__in=MODES)
        .values_list("pk", "title", "charges__mode_id")
        .order_by("pk", "charges__mode_id")
        .distinct()
    )
    found = list(pairs)
    rows = visible_rows(user, suspect_person=person) if found else []
    return [
        group((pk, title), ("person", person.pk), person.code, mode, rows)
        for pk, title, mode in found
    ]


def incident_rows(rows: Iterable[Row], incident_id: int, violation_ids: set[int]) -> list[Row]:
    """The rows linking an incident or one of its violations."""
    return [
        r
        for r in rows
        if r.link == ("incident", incident_id)
        or (r.link[0] == "violation" and r.link[1] in violation_ids)
    ]
