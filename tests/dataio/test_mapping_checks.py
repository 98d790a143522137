"""Every check of a mapping runs when it is saved and every problem is listed at once: unknown
fields, missing required ones, bad options and templates, unknown columns of the file (Kobo:
paths of the submissions) with the nearest ones, recoded values that are not terms, and a place
without its country."""

from __future__ import annotations

from typing import Any

import pytest

from justicework.dataio.mapping import MappingError
from justicework.dataio.mapping_checks import check_mapping
from justicework.violations.io import ViolationSchema
from tests.dataio.conftest import RowsSchema


def _problems(data: Any, **kwargs: Any) -> list[str]:
    with pytest.raises(MappingError) as caught:
        check_mapping(data, RowsSchema(), **kwargs)
    return caught.value.problems


def test_every_problem_of_a_mapping_is_listed_at_once() -> None:
    problems = _problems(
        {
            "fields": {
                "age": "Age",
                "born": {"template": "{day"},
                "colour": {"source": "Colour", "values": {"r": "rot"}},
                "count": {"value": "many"},
            },
            "delimiter": ";;",
            "sheets": "x",
        }
    )
    text = "\n".join(problems)
    for expected in (
        "Unknown mapping option(s): sheets",
        "“age” is not a field of this import",
        "“born”: the template",
        "required field(s): name",
        "“delimiter” must be one character",
    ):
        assert expected in text
    assert any("“colour”: the value 'r' recoded" in p for p in problems)
    assert any("“count”: the constant: 'many' is not a whole number" in p for p in problems)
    assert len(problems) == 7
    assert not any(p.startswith(("{", "[")) or "ValidationError" in p for p in problems)


def test_recoded_values_constants_and_defaults_are_parsed_as_the_import_parses_them() -> None:
    problems = _problems(
        {
            "fields": {
                "name": "Name",
                "colour": {"source": "Colour", "values": {"r": "redd", "g": "green"}},
                "count": {"source": "N", "default": "lots"},
                "born": {"value": "31/02/2020"},
            }
        }
    )
    assert len(problems) == 3
    assert any("“colour”: the value 'r' recoded: 'redd' is not a known" in p for p in problems)
    assert any("Did you mean: red" in p for p in problems)
    assert any(p.startswith("“count”: the default: 'lots' is not a whole number") for p in problems)
    assert any(p.startswith("“born”: the constant:") for p in problems)


def test_a_recoded_value_may_be_any_spelling_of_a_term() -> None:
    data = {"fields": {"name": "Name", "colour": {"source": "C", "values": {"r": "ROUGE"}}}}
    assert check_mapping(data, RowsSchema()).fields["colour"].values == {"r": "ROUGE"}


def test_unknown_columns_of_the_file_are_named_with_the_nearest_ones() -> None:
    data = {"fields": {"name": "Nmae", "count": "Totally else"}, "key": ["ID"]}
    problems = _problems(data, columns=["Name", "Count", "id"])
    assert problems[0] == "“name”: the file has no column 'Nmae'. Did you mean: 'Name'?"
    assert problems[1].startswith("“count”: the file has no column 'Totally else'. Its columns:")
    assert problems[2] == "“key”: the file has no column 'ID'. Did you mean: 'id'?"


def test_a_mistyped_kobo_path_is_named_with_the_nearest_paths() -> None:
    data = {"fields": {"name": "person/nmae"}}
    problems = _problems(data, columns=["person/name", "person/age", "_uuid"], kobo=True)
    assert len(problems) == 1
    assert problems[0].startswith(
        "“name”: no submission has a value at 'person/nmae'. Check the spelling; a question "
        "left unanswered in every submission also looks like this. Did you mean: 'person/name'"
    )


def test_template_columns_are_checked_against_the_file() -> None:
    data = {"fields": {"name": {"template": "{city}, {sate}"}}}
    assert _problems(data, columns=["city", "state"]) == [
        "“name”: the file has no column 'sate'. Did you mean: 'state'?"
    ]


def test_a_right_mapping_passes_every_check() -> None:
    data = {"fields": {"name": {"template": "{a} {b}"}, "colour": "c"}, "key": ["a"]}
    spec = check_mapping(data, RowsSchema(), columns=["a", "b", "c"])
    assert spec.source_columns() == ["a", "b", "c"]


@pytest.mark.parametrize("field", ["place_name", "latitude", "longitude"])
def test_a_place_without_its_country_is_reported(field: str) -> None:
    data = {"fields": {"incident_ref": "id", "incident_title": "t", "type": "y", field: "p"}}
    with pytest.raises(MappingError) as caught:
        check_mapping(data, ViolationSchema())
    assert caught.value.problems == [
        f"“{field}” is mapped but “country” is not: a place needs its country. Map a column "
        "or a constant to “country”, or it is left out of every row."
    ]


def test_a_place_with_a_constant_country_passes() -> None:
    data = {
        "fields": {
            "incident_ref": "id",
            "incident_title": "t",
            "type": {"source": "y", "values": {"shot": "Meurtre"}},
            "place_name": {"template": "{city}, {state}"},
            "country": {"value": "UA"},
        }
    }
    check_mapping(data, ViolationSchema())


def test_a_violation_type_recoded_to_an_unknown_term_gets_suggestions() -> None:
    data = {
        "fields": {
            "incident_ref": "id",
            "incident_title": "t",
            "type": {"source": "y", "values": {"shot": "kiling"}},
        }
    }
    with pytest.raises(MappingError, match="Did you mean"):
        check_mapping(data, ViolationSchema())
