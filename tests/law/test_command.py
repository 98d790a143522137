"""``justicework law catalogue``: JSON that parses and holds the whole catalogue, or text."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from justicework.law import catalogue as catalogue_module
from justicework.law.catalogue import CatalogueError, catalogue


def test_json_holds_every_crime_with_elements_resolved(capsys) -> None:
    call_command("law", "catalogue", "--format", "json")
    printed = json.loads(capsys.readouterr().out)
    assert set(printed) == {
        "version",
        "sources",
        "crimes",
        "modes_of_liability",
        "other_instruments",
    }
    assert [c["id"] for c in printed["crimes"]] == [c.id for c in catalogue().crimes]
    for crime in printed["crimes"]:
        assert {"id", "category", "title", "titles", "elements"} <= set(crime)
        for element in crime["elements"]:
            assert set(element) == {"number", "type", "text", "citation", "shared"}
    assert len(printed["modes_of_liability"]) == len(catalogue().modes_of_liability)
    assert [o["id"] for o in printed["other_instruments"]] == ["cat-1", "icpped-2"]


def test_text_lists_crimes_modes_and_treaties(capsys) -> None:
    call_command("law", "catalogue")
    text = capsys.readouterr().out
    assert "7(1)(g)-1  Crime against humanity of rape" in text
    assert "  2. [contextual] " in text
    headings = ["Genocide (art. 6)", "Crimes against humanity (art. 7)", "War crimes (art. 8)"]
    positions = [text.index(f"\n{heading}\n") for heading in headings]
    assert positions == sorted(positions)
    assert "art. 28(a)  Responsibility of military commanders" in text
    assert "art. 2  Enforced disappearance" in text


def test_text_in_arabic_titles(capsys) -> None:
    call_command("law", "catalogue", "--language", "ar")
    assert catalogue().crime("8 bis").titles["ar"] in capsys.readouterr().out


def test_a_broken_catalogue_stops_the_command_with_the_fault(monkeypatch) -> None:
    def broken() -> None:
        raise CatalogueError("crimes.json, crime 6(a): no title in ar.")

    monkeypatch.setattr("justicework.law.management.commands.law.catalogue", broken)
    with pytest.raises(CommandError, match=r"crime 6\(a\): no title in ar"):
        call_command("law", "catalogue")
    assert catalogue_module.catalogue() is catalogue()
