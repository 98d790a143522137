"""The case matrix and its gaps, computed from a case's charges and entries.

For each charge, every element of its crime (shared contextual elements already resolved by
``law.catalogue``) and of its mode of liability is a *cell*. A cell is a **gap** when no entry
supports the element at more than ``weak`` strength. The "what is missing" list names, per gap,
the kinds of evidence that would help, from ``data/cases/evidence_hints.json`` (by element type).

The computation takes the case's entries in one list, so the matrix page's queries do not grow
with the number of entries.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from justicework.law.catalogue import ELEMENT_TYPES, Element, catalogue
from justicework.law.models import Charge, MatrixEntry

HINTS_FILE = Path(__file__).resolve().parent / "data" / "cases" / "evidence_hints.json"
#: strengths in order; a supporting entry above ``weak`` closes a gap
STRENGTHS = ("none", "weak", "moderate", "strong")
ENOUGH = frozenset({"moderate", "strong"})


KIND_LABELS: Mapping[str, str | Promise] = {
    "testimony": _("Testimony (victims, witnesses, insiders)"),
    "documentary": _("Documents (orders, reports, communications, records)"),
    "forensic": _("Forensic evidence (medical, ballistic, remains, sites)"),
    "open_source": _("Open-source material (photos, videos, satellite imagery, posts)"),
    "expert": _("Expert analysis (military, historical, statistical)"),
}
TYPE_HINTS: Mapping[str, str | Promise] = {
    "conduct": _("Who did what, where and when: eyewitnesses, footage, traces at the scene."),
    "consequence": _("The result: medical and forensic reports, death records, survivors."),
    "circumstance": _("Facts about the victims or objects: registers, civil records, witnesses."),
    "contextual": _(
        "The attack, the conflict or the pattern: many incidents over time and place, reports "
        "of international bodies, expert analysis."
    ),
    "mental": _("Intent and knowledge: orders, communications, statements, insider witnesses."),
}


@dataclass(frozen=True)
class Hint:
    kinds: tuple[str, ...]
    text: str | Promise


@lru_cache(maxsize=1)
def kinds_by_type() -> Mapping[str, tuple[str, ...]]:
    """The data file's table, checked as it is read: every element type has its kinds, every
    kind is known and labelled."""
    data = json.loads(HINTS_FILE.read_text(encoding="utf-8"))
    known = set(data["kinds"])
    if known != set(KIND_LABELS):
        raise ValueError(f"evidence_hints.json: kinds {sorted(known)} differ from the labels.")
    found: dict[str, tuple[str, ...]] = {}
    for kind in ELEMENT_TYPES:
        entry = data["by_element_type"].get(kind)
        if not entry:
            raise ValueError(f"evidence_hints.json: no kinds for element type {kind!r}.")
        unknown = sorted(set(entry) - known)
        if unknown:
            raise ValueError(f"evidence_hints.json: {kind}: unknown kinds {unknown}.")
        found[kind] = tuple(entry)
    return found


def hint_for(element_type: str) -> Hint:
    return Hint(kinds_by_type()[element_type], TYPE_HINTS[element_type])


@dataclass
class Cell:
    part: str
    element: Element
    entries: list[MatrixEntry] = field(default_factory=list)

    @property
    def supporting(self) -> list[MatrixEntry]:
        return [e for e in self.entries if e.bearing == MatrixEntry.Bearing.SUPPORTS]

    @property
    def contradicted(self) -> bool:
        return any(e.bearing == MatrixEntry.Bearing.CONTRADICTS for e in self.entries)

    @property
    def strength(self) -> str:
        """The strongest support ("none" without any)."""
        found = [STRENGTHS.index(e.strength) for e in self.supporting]
        return STRENGTHS[max(found)] if found else "none"

    @property
    def gap(self) -> bool:
        return self.strength not in ENOUGH

    @property
    def hint(self) -> Hint:
        return hint_for(self.element.type)


@dataclass
class ChargeRow:
    charge: Charge
    crime_title: str
    mode_title: str
    cells: list[Cell]

    @property
    def gaps(self) -> list[Cell]:
        return [cell for cell in self.cells if cell.gap]


def _elements(charge: Charge) -> list[tuple[str, Element]]:
    book = catalogue()
    crime = book.crime(charge.crime_id)
    modes = {mode.id: mode for mode in book.modes_of_liability}
    mode = modes[charge.mode_id]
    return [("crime", e) for e in crime.elements] + [("mode", e) for e in mode.elements]


def build(
    charges: Iterable[Charge], entries: Iterable[MatrixEntry], language: str
) -> list[ChargeRow]:
    """The matrix rows of ``charges``, each cell holding its ``entries`` (from any source:
    the caller decides which entries it may show; none are fetched here)."""
    by_cell: dict[tuple[int, str, int], list[MatrixEntry]] = defaultdict(list)
    for entry in entries:
        by_cell[(entry.charge_id, entry.part, entry.element)].append(entry)
    book = catalogue()
    modes = {mode.id: mode for mode in book.modes_of_liability}
    rows = []
    for charge in charges:
        crime = book.crime(charge.crime_id)
        cells = [
            Cell(part, element, by_cell.get((charge.pk, part, element.number), []))
            for part, element in _elements(charge)
        ]
        title = crime.titles.get(language) or crime.title
        rows.append(ChargeRow(charge, title, modes[charge.mode_id].title, cells))
    return rows


@dataclass(frozen=True)
class Missing:
    """One line of the "what is missing" list."""

    charge: Charge
    crime_title: str
    part: str
    element: Element
    strength: str
    kinds: tuple[tuple[str, str | Promise], ...]
    hint: str | Promise


def missing(rows: Iterable[ChargeRow]) -> list[Missing]:
    labels = KIND_LABELS
    found = []
    for row in rows:
        for cell in row.gaps:
            hint = cell.hint
            found.append(
                Missing(
                    row.charge,
                    row.crime_title,
                    cell.part,
                    cell.element,
                    cell.strength,
                    tuple((kind, labels[kind]) for kind in hint.kinds),
                    hint.text,
                )
            )
    return found
