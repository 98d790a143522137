"""The map from the vocabulary's types of act to catalogue crime ids: complete, every id
real."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from justicework.law.catalogue import catalogue
from justicework.law.qualification_map import MAP_FILE, MapError, load, problems, qualification_map
from justicework.violations import vocabularies


def _codes() -> set[str]:
    return {term.code for term in vocabularies.get("violation_types")}


def test_every_type_is_mapped_and_every_crime_exists() -> None:
    assert problems(qualification_map(), _codes(), catalogue()) == []


def test_a_type_that_maps_to_nothing_says_why() -> None:
    for entry in qualification_map().types.values():
        assert entry.crimes or entry.none_because.strip(), entry.type


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("killing", {"6(a)", "7(1)(a)", "8(2)(a)(i)", "8(2)(c)(i)-1"}),
        ("rape", {"7(1)(g)-1", "8(2)(b)(xxii)-1", "8(2)(e)(vi)-1"}),
        ("torture", {"7(1)(f)", "8(2)(a)(ii)-1", "8(2)(c)(i)-4", "cat-1"}),
        ("enforced_disappearance", {"7(1)(i)", "icpped-2"}),
        ("act_of_aggression", {"8 bis"}),
    ],
)
def test_the_precise_crimes_of_common_acts(code: str, expected: set[str]) -> None:
    assert expected <= set(qualification_map().crimes_for(code))


def test_groupings_map_to_nothing() -> None:
    for term in vocabularies.get("violation_types"):
        if term.extra.get("group"):
            assert qualification_map().crimes_for(term.code) == ()


def _write(tmp_path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    data = json.loads(MAP_FILE.read_text(encoding="utf-8"))
    change(data["types"])
    path = tmp_path / "map.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_problems_name_a_missing_type_and_an_unknown_crime(tmp_path: Path) -> None:
    def change(types):  # type: ignore[no-untyped-def]
        del types["pillage"]
        types["torture"]["crimes"].append("8(2)(z)")

    found = problems(load(_write(tmp_path, change)), _codes(), catalogue())
    assert "type 'pillage' is not mapped." in found
    assert "type 'torture': '8(2)(z)' is no crime of the catalogue." in found


def test_a_type_with_no_crime_and_no_reason_is_refused(tmp_path: Path) -> None:
    def change(types):  # type: ignore[no-untyped-def]
        types["persecution"] = {"crimes": []}

    with pytest.raises(MapError, match="'persecution': maps to no crime and does not say why"):
        load(_write(tmp_path, change))


def test_a_map_for_another_catalogue_version_is_reported(tmp_path: Path) -> None:
    path = _write(tmp_path, lambda types: None)
    data = json.loads(path.read_text())
    data["catalogue"] = "1999.1"
    path.write_text(json.dumps(data))
    assert any("catalogue 1999.1" in p for p in problems(load(path), _codes(), catalogue()))
