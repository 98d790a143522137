"""A field built from several columns: ``{"template": "{city}, {state}"}``: its checks, how it
renders (separators dropped with an empty cell), and its place in keys and ``to_dict``."""

from __future__ import annotations

from typing import Any

import pytest

from justicework.dataio.mapping import MappingError, MappingSpec, RowMapper
from justicework.dataio.readers import SourceRow
from justicework.dataio.template import parse_template
from tests.dataio.conftest import RowsSchema


def _mapper(fields: dict[str, Any]) -> RowMapper:
    schema = RowsSchema()
    return RowMapper(MappingSpec.from_dict({"fields": fields}, schema), schema)


def _name(cells: dict[str, str], template: str = "{city}, {state}") -> Any:
    parsed, problems = _mapper({"name": {"template": template}}).apply(SourceRow(2, cells))
    return parsed.values["name"] if parsed else problems


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"city": "Kharkiv", "state": "Kharkiv Oblast"}, "Kharkiv, Kharkiv Oblast"),
        ({"city": "Kharkiv", "state": ""}, "Kharkiv"),
        ({"city": "", "state": "Kharkiv Oblast"}, "Kharkiv Oblast"),
        ({"city": "  Izium ", "state": " Kharkiv Oblast "}, "Izium, Kharkiv Oblast"),
    ],
)
def test_a_template_joins_its_columns_and_drops_the_separator_of_an_empty_one(
    cells: dict[str, str], expected: str
) -> None:
    assert _name(cells) == expected


def test_text_around_the_columns_is_kept_and_double_braces_are_literal() -> None:
    assert _name({"a": "x", "b": "y"}, "Case {a} ({b}) {{raw}}") == "Case x (y) {raw}"
    assert _name({"a": "", "b": "y"}, "Case {a} ({b})") == "Case y)"  # the literal tail stays


def test_a_template_whose_columns_are_all_empty_is_empty_and_a_required_field_says_so() -> None:
    problems = _name({"city": "", "state": ""})
    assert "is empty; Name is required" in str(problems[0])
    assert problems[0].column == "city, state"


def test_a_templates_default_and_values_apply_to_the_rendered_text() -> None:
    mapper = _mapper(
        {
            "name": "n",
            "colour": {"template": "{c1}{c2}", "values": {"rd": "red"}, "default": "green"},
        }
    )
    parsed, _ = mapper.apply(SourceRow(2, {"n": "x", "c1": "r", "c2": "d"}))
    assert parsed is not None and parsed.values["colour"] == "red"
    parsed, _ = mapper.apply(SourceRow(3, {"n": "x", "c1": "", "c2": ""}))
    assert parsed is not None and parsed.values["colour"] == "green"


def test_a_templates_columns_are_read_columns_and_part_of_the_default_key() -> None:
    spec = MappingSpec.from_dict({"fields": {"name": {"template": "{a} {b}"}}}, RowsSchema())
    assert spec.source_columns() == ["a", "b"]
    assert spec.missing_columns(["a"]) == ["b"]
    assert RowMapper(spec, RowsSchema()).key_columns == ["a", "b"]


def test_a_template_round_trips_through_to_dict() -> None:
    data = {"fields": {"name": {"template": "{a}, {b}", "default": "x"}}, "key": ["id"]}
    spec = MappingSpec.from_dict(data, RowsSchema())
    again = MappingSpec.from_dict(spec.to_dict(), RowsSchema())
    assert again.to_dict() == spec.to_dict()
    assert spec.to_dict()["fields"]["name"] == {"template": "{a}, {b}", "default": "x"}


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{city", "is not valid"),
        ("city}", "is not valid"),
        ("{}", "empty or numbered"),
        ("{0} {1}", "empty or numbered"),
        ("{city:>10}", "plain column name"),
        ("{city!r}", "plain column name"),
        ("no columns", "names no column"),
    ],
)
def test_a_bad_template_is_refused_naming_the_field_and_why(template: str, message: str) -> None:
    with pytest.raises(MappingError, match=message) as caught:
        MappingSpec.from_dict({"fields": {"name": {"template": template}}}, RowsSchema())
    assert "“name”" in str(caught.value)


@pytest.mark.parametrize(
    "raw",
    [
        {"template": "{a}", "source": "b"},
        {"template": "{a}", "value": "x"},
        {"template": ""},
        {"template": 3},
    ],
)
def test_a_template_with_a_source_or_a_constant_or_empty_is_refused(raw: Any) -> None:
    with pytest.raises(MappingError, match="“name”"):
        MappingSpec.from_dict({"fields": {"name": raw}}, RowsSchema())


def test_a_parsed_template_lists_its_columns_in_order() -> None:
    template, problems = parse_template("f", "{b} - {a} - {b}")
    assert problems == [] and template is not None
    assert template.columns == ("b", "a", "b")
