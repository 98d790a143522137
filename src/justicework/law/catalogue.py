"""The catalogue of international crimes: versioned JSON data in ``law/data/catalogue/``, read
once into typed, frozen dataclasses and checked as it is read.

Files (docs/law.md, "The catalogue"):

* ``catalogue.json``: ``version``, sources, the amending ``instruments`` (id, title, date), the
  element types and the ``shared_elements`` (contextual elements defined once: the genocide
  pattern, the widespread-or-systematic attack, the armed-conflict nexus, protected status...);
* ``crimes.json``: one entry per separately defined crime, its id the official numbering
  (``7(1)(g)-1``), its elements in the official order, each either its own ``type`` and
  ``text`` or a ``ref`` to a shared element, always with its own ``citation``;
* ``liability.json``: modes of liability (art. 25(3), 25(3 bis), 28, and art. 30);
* ``other_instruments.json``: crimes of other treaties compared with the Rome Statute ones.

:func:`catalogue` resolves shared elements in place, so callers see every element of a crime,
numbered as in the official text. A malformed file raises :class:`CatalogueError` naming the
file, the entry and what is wrong.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data" / "catalogue"
LANGUAGES = ("en", "fr", "es", "ru", "ar")
ELEMENT_TYPES = ("conduct", "consequence", "circumstance", "contextual", "mental")
CATEGORIES = ("genocide", "crimes_against_humanity", "war_crimes", "aggression")

#: The official numbering of a separately defined crime: article, paragraph, sub-paragraphs in
#: letters and roman numerals, and the Elements of Crimes' ``-N`` for crimes sharing a provision.
CRIME_ID = re.compile(
    r"^(?:6\([a-e]\)"
    r"|7\(1\)\([a-k]\)(?:-[1-6])?"
    r"|8\(2\)\([abce]\)\((?=[ivx])x{0,2}(?:ix|iv|v?i{0,3})\)(?:-[1-6])?"
    r"|8 bis)$"
)


class CatalogueError(ValueError):
    """A catalogue data file is malformed (the message names the file, entry and problem)."""


@dataclass(frozen=True)
class Instrument:
    id: str
    title: str
    date: dt.date


@dataclass(frozen=True)
class SharedElement:
    id: str
    type: str
    text: str
    where: str


@dataclass(frozen=True)
class Element:
    number: int
    type: str
    text: str
    citation: str
    #: the shared element it resolves, or "" for the crime's own
    shared: str = ""


@dataclass(frozen=True)
class Crime:
    id: str
    category: str
    titles: Mapping[str, str]
    elements: tuple[Element, ...]
    #: the instrument that added the crime after the Statute's adoption (None: the Statute)
    added_by: Instrument | None = None
    #: why there are no elements yet (8(2)(b)(xx)); "" when there are
    elements_pending: str = ""

    @property
    def title(self) -> str:
        return self.titles["en"]


@dataclass(frozen=True)
class Mode:
    id: str
    provision: str
    title: str
    note: str
    elements: tuple[Element, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Difference:
    aspect: str
    this: str
    #: Rome Statute crime id -> how that crime treats the aspect
    rome: Mapping[str, str]


@dataclass(frozen=True)
class OtherCrime:
    id: str
    instrument: str
    provision: str
    url: str
    titles: Mapping[str, str]
    elements: tuple[Element, ...]
    compared_with: tuple[str, ...]
    differences: tuple[Difference, ...]


@dataclass(frozen=True)
class Catalogue:
    version: str
    about: str
    sources: Mapping[str, Mapping[str, str]]
    instruments: Mapping[str, Instrument]
    shared_elements: Mapping[str, SharedElement]
    crimes: tuple[Crime, ...]
    modes_of_liability: tuple[Mode, ...]
    other_instruments: tuple[OtherCrime, ...]

    def crime(self, crime_id: str) -> Crime:
        for crime in self.crimes:
            if crime.id == crime_id:
                return crime
        raise KeyError(f"{crime_id!r} is not a crime of catalogue {self.version}.")


def _read(name: str, data_dir: Path) -> dict[str, Any]:
    path = data_dir / name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise CatalogueError(f"{name}: cannot be read ({error}).") from error
    if not isinstance(data, dict):
        raise CatalogueError(f"{name}: must hold a JSON object.")
    return data


def _text(where: str, entry: Mapping[str, Any], key: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise CatalogueError(f"{where}: {key!r} must be a non-empty text.")
    return value


def _titles(where: str, entry: Mapping[str, Any]) -> dict[str, str]:
    titles = entry.get("title")
    if not isinstance(titles, dict):
        raise CatalogueError(f"{where}: 'title' must map each language to a title.")
    missing = [lang for lang in LANGUAGES if not str(titles.get(lang) or "").strip()]
    if missing:
        raise CatalogueError(f"{where}: no title in {', '.join(missing)}.")
    return {lang: titles[lang] for lang in LANGUAGES}


def _own_element(where: str, number: int, entry: Mapping[str, Any]) -> Element:
    kind = _text(where, entry, "type")
    if kind not in ELEMENT_TYPES:
        raise CatalogueError(f"{where}: type {kind!r} is not one of {', '.join(ELEMENT_TYPES)}.")
    return Element(number, kind, _text(where, entry, "text"), _text(where, entry, "citation"))


def _elements(where: str, entries: Any, shared: Mapping[str, SharedElement]) -> tuple[Element, ...]:
    if not isinstance(entries, list):
        raise CatalogueError(f"{where}: 'elements' must be a list.")
    elements = []
    for number, entry in enumerate(entries, start=1):
        at = f"{where}, element {number}"
        if not isinstance(entry, dict):
            raise CatalogueError(f"{at}: must be an object.")
        ref = entry.get("ref")
        if ref is None:
            elements.append(_own_element(at, number, entry))
            continue
        common = shared.get(ref)
        if common is None:
            raise CatalogueError(f"{at}: refers to {ref!r}, which is no shared element.")
        citation = _text(at, entry, "citation")
        elements.append(Element(number, common.type, common.text, citation, shared=ref))
    return tuple(elements)


def _instruments(data: Mapping[str, Any]) -> dict[str, Instrument]:
    found = {}
    for key, entry in (data.get("instruments") or {}).items():
        where = f"catalogue.json, instrument {key!r}"
        try:
            date = dt.date.fromisoformat(_text(where, entry, "date"))
        except ValueError as error:
            raise CatalogueError(f"{where}: date is not YYYY-MM-DD ({error}).") from error
        found[key] = Instrument(key, _text(where, entry, "title"), date)
    return found


def _shared(data: Mapping[str, Any]) -> dict[str, SharedElement]:
    found = {}
    for key, entry in (data.get("shared_elements") or {}).items():
        where = f"catalogue.json, shared element {key!r}"
        kind = _text(where, entry, "type")
        if kind not in ELEMENT_TYPES:
            raise CatalogueError(f"{where}: type {kind!r} is not an element type.")
        found[key] = SharedElement(key, kind, _text(where, entry, "text"), entry.get("where", ""))
    return found


def _crime(
    entry: Mapping[str, Any],
    shared: Mapping[str, SharedElement],
    instruments: Mapping[str, Instrument],
) -> Crime:
    crime_id = _text("crimes.json", entry, "id")
    where = f"crimes.json, crime {crime_id}"
    if not CRIME_ID.match(crime_id):
        raise CatalogueError(f"{where}: the id does not follow the official numbering.")
    category = _text(where, entry, "category")
    if category not in CATEGORIES:
        raise CatalogueError(f"{where}: category {category!r} is not one of {CATEGORIES}.")
    added_by = entry.get("added_by")
    if added_by is not None and added_by not in instruments:
        raise CatalogueError(f"{where}: added by {added_by!r}, which is no known instrument.")
    elements = _elements(where, entry.get("elements"), shared)
    pending = entry.get("elements_pending", "")
    if not elements and not pending:
        raise CatalogueError(f"{where}: has no elements and does not say why.")
    return Crime(
        crime_id,
        category,
        _titles(where, entry),
        elements,
        instruments[added_by] if added_by else None,
        pending,
    )


def _mode(entry: Mapping[str, Any]) -> Mode:
    mode_id = _text("liability.json", entry, "id")
    where = f"liability.json, mode {mode_id}"
    elements = _elements(where, entry.get("elements"), {})
    if not elements:
        raise CatalogueError(f"{where}: has no elements.")
    return Mode(
        mode_id,
        _text(where, entry, "provision"),
        _text(where, entry, "title"),
        entry.get("note", ""),
        elements,
        tuple(entry.get("sources") or ()),
    )


def _other(entry: Mapping[str, Any], crime_ids: set[str]) -> OtherCrime:
    other_id = _text("other_instruments.json", entry, "id")
    where = f"other_instruments.json, {other_id}"
    compared = tuple(entry.get("compared_with") or ())
    differences = []
    for item in entry.get("differences") or ():
        unknown = sorted(set(item.get("rome", {})) - set(compared))
        if unknown:
            raise CatalogueError(f"{where}: compares with {unknown}, not in 'compared_with'.")
        rome = {key: str(value) for key, value in item.get("rome", {}).items()}
        differences.append(
            Difference(_text(where, item, "aspect"), _text(where, item, "this"), rome)
        )
    if not set(compared) <= crime_ids:
        raise CatalogueError(f"{where}: compared with a crime the catalogue does not hold.")
    return OtherCrime(
        other_id,
        _text(where, entry, "instrument"),
        _text(where, entry, "provision"),
        _text(where, entry, "url"),
        _titles(where, entry),
        _elements(where, entry.get("elements"), {}),
        compared,
        tuple(differences),
    )


def load(data_dir: Path = DATA_DIR) -> Catalogue:
    """Read and check the catalogue in ``data_dir`` (tests point it at broken copies)."""
    meta = _read("catalogue.json", data_dir)
    instruments = _instruments(meta)
    shared = _shared(meta)
    crimes = tuple(
        _crime(entry, shared, instruments)
        for entry in _read("crimes.json", data_dir).get("crimes", [])
    )
    ids = [crime.id for crime in crimes]
    repeated = sorted({crime_id for crime_id in ids if ids.count(crime_id) > 1})
    if repeated:
        raise CatalogueError(f"crimes.json: ids used more than once: {', '.join(repeated)}.")
    modes = tuple(
        _mode(entry) for entry in _read("liability.json", data_dir).get("modes_of_liability", [])
    )
    others = tuple(
        _other(entry, set(ids))
        for entry in _read("other_instruments.json", data_dir).get("other_instruments", [])
    )
    return Catalogue(
        version=_text("catalogue.json", meta, "version"),
        about=meta.get("about", ""),
        sources=meta.get("sources", {}),
        instruments=instruments,
        shared_elements=shared,
        crimes=crimes,
        modes_of_liability=modes,
        other_instruments=others,
    )


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The catalogue shipped with the package, read once per process."""
    return load()
