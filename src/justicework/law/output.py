"""The catalogue as plain data (the command's JSON and the API's answer are this one dict) and as
readable text. One shape for both readers, so a test can compare them field by field."""

from __future__ import annotations

from typing import Any

from justicework.law.catalogue import Catalogue, Crime, Element, Mode, OtherCrime

#: The headings of the text listing, one per category, in the catalogue's order.
CATEGORY_HEADINGS = {
    "genocide": "Genocide (art. 6)",
    "crimes_against_humanity": "Crimes against humanity (art. 7)",
    "war_crimes": "War crimes (art. 8)",
    "aggression": "Crime of aggression (art. 8 bis)",
}


def _element(element: Element) -> dict[str, Any]:
    return {
        "number": element.number,
        "type": element.type,
        "text": element.text,
        "citation": element.citation,
        "shared": element.shared or None,
    }


def _crime(crime: Crime) -> dict[str, Any]:
    added = crime.added_by
    return {
        "id": crime.id,
        "category": crime.category,
        "title": crime.title,
        "titles": dict(crime.titles),
        "added_by": (
            {"instrument": added.id, "title": added.title, "date": added.date.isoformat()}
            if added
            else None
        ),
        "elements_pending": crime.elements_pending or None,
        "elements": [_element(element) for element in crime.elements],
    }


def _mode(mode: Mode) -> dict[str, Any]:
    return {
        "id": mode.id,
        "provision": mode.provision,
        "title": mode.title,
        "note": mode.note or None,
        "elements": [_element(element) for element in mode.elements],
        "sources": list(mode.sources),
    }


def _other(other: OtherCrime) -> dict[str, Any]:
    return {
        "id": other.id,
        "instrument": other.instrument,
        "provision": other.provision,
        "url": other.url,
        "title": other.titles["en"],
        "titles": dict(other.titles),
        "elements": [_element(element) for element in other.elements],
        "compared_with": list(other.compared_with),
        "differences": [
            {"aspect": item.aspect, "this": item.this, "rome": dict(item.rome)}
            for item in other.differences
        ],
    }


def as_dict(catalogue: Catalogue) -> dict[str, Any]:
    """Every crime with its elements, shared ones resolved in place; then the modes of
    liability and the crimes of other instruments."""
    return {
        "version": catalogue.version,
        "sources": {key: dict(value) for key, value in catalogue.sources.items()},
        "crimes": [_crime(crime) for crime in catalogue.crimes],
        "modes_of_liability": [_mode(mode) for mode in catalogue.modes_of_liability],
        "other_instruments": [_other(other) for other in catalogue.other_instruments],
    }


def _element_lines(elements: tuple[Element, ...]) -> list[str]:
    return [
        f"  {element.number}. [{element.type}] {element.text} ({element.citation})"
        for element in elements
    ]


def _crime_lines(crime: Crime, language: str) -> list[str]:
    lines = [f"{crime.id}  {crime.titles.get(language, crime.title)}"]
    if crime.added_by:
        added = crime.added_by
        lines.append(f"  added by {added.title}, {added.date.isoformat()}")
    if crime.elements_pending:
        lines.append(f"  {crime.elements_pending}")
    return [*lines, *_element_lines(crime.elements)]


def as_text(catalogue: Catalogue, language: str = "en") -> str:
    """A readable listing: crimes by category, then modes of liability, then the crimes of
    other instruments with their differences from the Rome Statute ones."""
    lines = [f"Catalogue of international crimes, version {catalogue.version}", ""]
    category = ""
    for crime in catalogue.crimes:
        if crime.category != category:
            category = crime.category
            lines += [CATEGORY_HEADINGS[category], ""]
        lines += [*_crime_lines(crime, language), ""]
    lines += ["Modes of liability", ""]
    for mode in catalogue.modes_of_liability:
        lines += [f"{mode.provision}  {mode.title}", *_element_lines(mode.elements)]
        lines += [f"  note: {mode.note}"] if mode.note else []
        lines += [f"  see: {source}" for source in mode.sources] + [""]
    lines += ["Beyond the Rome Statute", ""]
    for other in catalogue.other_instruments:
        lines += [f"{other.provision}  {other.titles.get(language, other.titles['en'])}"]
        lines += [f"  {other.instrument}", *_element_lines(other.elements)]
        for item in other.differences:
            lines.append(f"  - {item.aspect}: {item.this}")
            lines += [f"      {crime_id}: {text}" for crime_id, text in item.rome.items()]
        lines.append("")
    return "\n".join(lines)
