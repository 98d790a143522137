"""Which crimes each type of act may amount to: ``law/data/qualification_map.json``, keyed by the
codes of the documentation vocabulary ``violation_types``, each naming catalogue crime ids
(Rome Statute ids such as ``7(1)(g)-1`` and the other treaties' ``cat-1``, ``icpped-2``), or
none with the reason (``none_because``).

The vocabulary's own ``crimes`` annotation names broad families (war crimes, torture); this map
is the precise one the suggestions use. :func:`problems` checks it against the vocabulary and
the catalogue (``tests/law/qualification/test_map.py``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from justicework.law.catalogue import Catalogue, Element, catalogue

MAP_FILE = Path(__file__).resolve().parent / "data" / "qualification_map.json"


class MapError(ValueError):
    """The map file is malformed (the message names the type and what is wrong)."""


@dataclass(frozen=True)
class TypeMapping:
    """The crimes one type of act may amount to."""

    type: str
    crimes: tuple[str, ...]
    #: a caution for the analyst (e.g. an attempt needs art. 25(3)(f)); "" if none
    note: str = ""
    #: why the type maps to no crime; "" when it maps to some
    none_because: str = ""


@dataclass(frozen=True)
class QualificationMap:
    version: str
    catalogue_version: str
    types: Mapping[str, TypeMapping]

    def crimes_for(self, type_code: str) -> tuple[str, ...]:
        entry = self.types.get(type_code)
        return entry.crimes if entry else ()


def _entry(code: str, raw: Any) -> TypeMapping:
    if not isinstance(raw, dict):
        raise MapError(f"qualification map, type {code!r}: must be an object.")
    crimes = raw.get("crimes")
    if not isinstance(crimes, list) or not all(isinstance(c, str) and c for c in crimes):
        raise MapError(f"qualification map, type {code!r}: 'crimes' must be a list of crime ids.")
    none_because = str(raw.get("none_because") or "")
    if not crimes and not none_because.strip():
        raise MapError(f"qualification map, type {code!r}: maps to no crime and does not say why.")
    if crimes and none_because:
        raise MapError(f"qualification map, type {code!r}: names crimes and 'none_because'.")
    return TypeMapping(code, tuple(crimes), str(raw.get("note") or ""), none_because)


def load(path: Path = MAP_FILE) -> QualificationMap:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise MapError(f"{path.name}: cannot be read ({error}).") from error
    if not isinstance(raw, dict) or not isinstance(raw.get("types"), dict):
        raise MapError(f"{path.name}: must hold an object with a 'types' object.")
    types = {code: _entry(code, entry) for code, entry in raw["types"].items()}
    return QualificationMap(str(raw.get("version", "")), str(raw.get("catalogue", "")), types)


@lru_cache(maxsize=1)
def qualification_map() -> QualificationMap:
    """The map shipped with the package, read once per process."""
    return load()


def known_crime_ids(cat: Catalogue) -> set[str]:
    """Every crime id a qualification may name: the Rome Statute's and the other treaties'."""
    return {crime.id for crime in cat.crimes} | {other.id for other in cat.other_instruments}


def problems(qmap: QualificationMap, type_codes: set[str], cat: Catalogue) -> list[str]:
    """What is wrong with ``qmap`` against the vocabulary's codes and the catalogue (empty: all
    is well): a type not mapped, a mapped code the vocabulary lacks, an unknown crime id, a crime
    named twice, a map written for another catalogue version."""
    found = [f"type {code!r} is not mapped." for code in sorted(type_codes - set(qmap.types))]
    found += [
        f"{code!r} is no type of the vocabulary." for code in sorted(set(qmap.types) - type_codes)
    ]
    known = known_crime_ids(cat)
    for entry in qmap.types.values():
        found += [
            f"type {entry.type!r}: {c!r} is no crime of the catalogue."
            for c in entry.crimes
            if c not in known
        ]
        if len(set(entry.crimes)) != len(entry.crimes):
            found.append(f"type {entry.type!r} names a crime twice.")
    if qmap.catalogue_version != cat.version:
        found.append(f"written for catalogue {qmap.catalogue_version}, not {cat.version}.")
    return found


@dataclass(frozen=True)
class CrimeInfo:
    """What the suggestions need of a crime, whichever instrument defines it."""

    id: str
    #: the catalogue's category, or "treaty" for a crime of another instrument
    category: str
    titles: Mapping[str, str]
    elements: tuple[Element, ...]

    def title(self, language: str = "en") -> str:
        return self.titles.get(language) or self.titles["en"]


@lru_cache(maxsize=1)
def crimes_by_id() -> dict[str, CrimeInfo]:
    cat = catalogue()
    found = {c.id: CrimeInfo(c.id, c.category, c.titles, c.elements) for c in cat.crimes}
    for other in cat.other_instruments:
        found[other.id] = CrimeInfo(other.id, "treaty", other.titles, other.elements)
    return found
