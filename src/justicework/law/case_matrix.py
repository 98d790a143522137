"""The case matrix and its gaps, computed from a case's charges and entries.

For each charge, every element of its crime (shared contextual elements already resolved by
``law.catalogue``) and of its mode of liability is a *cell*. A cell is a **gap** when no entry
supports the element at more than ``weak`` strength. The "what is missing" list names, per gap,
the kinds of evidence that would help, from ``data/cases/evidence_hints.json`` (by element type).

A cell's strength and counts come from a :class:`Tally`: the matrix page counts in the database
(``queries_cases.summary_for``, one GROUP BY query), the exports and the API from the entries
they load in one list; either way the queries do not grow with the number of entries.
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
class Tally:
    """What a cell's entries add up to: how many support and contradict it, and the strongest
    support ("none" without any). The page counts in the database, exports from the entries."""

    supporting: int = 0
    contradicting: int = 0
    strength: str = "none"

    def add(self, bearing: str, strength: str, count: int = 1) -> None:
        if bearing == MatrixEntry.Bearing.CONTRADICTS:
            self.contradicting += count
            return
        self.supporting += count
        if STRENGTHS.index(strength) > STRENGTHS.index(self.strength):
            self.strength = strength

    @property
    def total(self) -> int:
        return self.supporting + self.contradicting


@dataclass
class Cell:
    part: str
    element: Element
    #: the cell's entries when they were loaded (exports, API); empty on the summary page
    entries: list[MatrixEntry] = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)

    @property
    def supporting(self) -> list[MatrixEntry]:
        return [e for e in self.entries if e.bearing == MatrixEntry.Bearing.SUPPORTS]

    @property
    def contradicted(self) -> bool:
        return self.tally.contradicting > 0

    @property
    def strength(self) -> str:
        """The strongest support ("none" without any)."""
        return self.tally.strength

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


#: a cell's key: (charge id, part, element number)
CellKey = tuple[int, str, int]


def build(
    charges: Iterable[Charge], entries: Iterable[MatrixEntry], language: str
) -> list[ChargeRow]:
    """The matrix rows of ``charges``, each cell holding its ``entries`` (from any source:
    the caller decides which entries it may show; none are fetched here)."""
    by_cell: dict[CellKey, list[MatrixEntry]] = defaultdict(list)
    tallies: dict[CellKey, Tally] = defaultdict(Tally)
    for entry in entries:
        key = (entry.charge_id, entry.part, entry.element)
        by_cell[key].append(entry)
        tallies[key].add(entry.bearing, entry.strength)
    return build_tallied(charges, tallies, language, by_cell)


def build_tallied(
    charges: Iterable[Charge],
    tallies: Mapping[CellKey, Tally],
    language: str,
    entries: Mapping[CellKey, list[MatrixEntry]] | None = None,
) -> list[ChargeRow]:
    """The matrix rows of ``charges`` from each cell's :class:`Tally` (counted by the caller,
    e.g. in the database); ``entries`` only when they were loaded."""
    book = catalogue()
    modes = {mode.id: mode for mode in book.modes_of_liability}
    loaded = entries or {}
    rows = []
    for charge in charges:
        crime = book.crime(charge.crime_id)
        cells = []
        for part, element in _elements(charge):
            key = (charge.pk, part, element.number)
            cells.append(Cell(part, element, loaded.get(key, []), tallies.get(key) or Tally()))
        title = crime.titles.get(language) or crime.title
        rows.append(ChargeRow(charge, title, modes[charge.mode_id].title, cells))
    return rows


def element_of(charge: Charge, part: str, number: int) -> Element | None:
    """The element ``number`` of ``charge``'s crime or mode (``part``), or None."""
    for found_part, element in _elements(charge):
        if found_part == part and element.number == number:
            return element
    return None


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
