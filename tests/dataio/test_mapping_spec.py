"""A mapping's JSON is checked as a whole: every wrong option is refused with a message naming
it; a valid mapping survives ``to_dict``/``from_dict`` unchanged."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from justicework.dataio.mapping import MappingError, MappingSpec
from tests.dataio.conftest import RowsSchema


def _spec(data: Any) -> MappingSpec:
    return MappingSpec.from_dict(data, RowsSchema())


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (["Name"], "must be a JSON object"),
        ({"fields": {"name": "Name"}, "sheets": "x"}, r"Unknown mapping option\(s\): sheets"),
        ({"fields": {}}, "“fields” must map target fields to source columns"),
        ({"fields": "Name"}, "“fields” must map target fields"),
        ({"fields": {"name": "Name", "age": "Age"}}, "“age” is not a field of this import"),
        ({"fields": {"born": "Born"}}, r"must fill the required field\(s\): name"),
        ({"fields": {"name": ""}}, "“name” must name a source column"),
        ({"fields": {"name": 3}}, "“name” must name a source column"),
        ({"fields": {"name": {"default": "x"}}}, "“name” needs a “source” column name"),
        ({"fields": {"name": {"source": "N", "values": ["a"]}}}, "“values” must map"),
        ({"fields": {"name": "Name"}, "key": [""]}, "“key” must be a list of source column"),
        ({"fields": {"name": "Name"}, "key": {"a": 1}}, "“key” must be a list"),
        ({"fields": {"name": "Name"}, "delimiter": ";;"}, "“delimiter” must be one character"),
        ({"fields": {"name": "Name"}, "date_formats": "%d/%m/%Y"}, "“date_formats” must be"),
        ({"fields": {"name": "Name"}, "sheet": 1}, "“sheet” must be text"),
        ({"fields": {"name": "Name"}, "encoding": ["utf-8"]}, "“encoding” must be text"),
    ],
)
def test_a_wrong_mapping_is_refused_naming_what_is_wrong(data: Any, message: str) -> None:
    with pytest.raises(MappingError, match=message):
        _spec(data)


def test_the_error_for_an_unknown_field_lists_the_fields_there_are() -> None:
    with pytest.raises(MappingError, match="fields: name, born, colour, count"):
        _spec({"fields": {"name": "Name", "colour_code": "C"}})


def test_a_single_key_column_may_be_given_as_text() -> None:
    assert _spec({"fields": {"name": "Name"}, "key": "Case ID"}).key == ("Case ID",)


def test_defaults_name_the_schema_kind_and_a_comma_separated_utf8_file() -> None:
    spec = _spec({"fields": {"name": "Name"}})
    assert (spec.namespace, spec.encoding, spec.delimiter) == ("testrows", "utf-8", ",")
    assert spec.unneutralise is True
    assert spec.source_columns() == ["Name"]


def test_source_columns_add_key_columns_and_skip_constants() -> None:
    spec = _spec({"fields": {"name": "Name", "colour": {"value": "red"}}, "key": ["ID", "Name"]})
    assert spec.source_columns() == ["Name", "ID"]
    assert spec.missing_columns({"Name", "Other"}) == ["ID"]


_names = st.text(alphabet="abcdefghij XYZ", min_size=1, max_size=8)
_rule = st.one_of(
    _names,
    st.fixed_dictionaries({"value": _names}),
    st.fixed_dictionaries(
        {"source": _names},
        optional={"default": _names, "values": st.dictionaries(_names, _names, max_size=3)},
    ),
)


@given(
    fields=st.fixed_dictionaries({"name": _rule}, optional={"born": _rule, "count": _rule}),
    key=st.lists(_names, max_size=2),
    delimiter=st.sampled_from([",", ";", "\t"]),
    formats=st.lists(st.sampled_from(["%d/%m/%Y", "%m-%d-%Y"]), max_size=2),
    unneutralise=st.booleans(),
    sheet=st.one_of(st.none(), _names),
)
def test_a_valid_mapping_round_trips_through_to_dict(
    fields: dict[str, Any],
    key: list[str],
    delimiter: str,
    formats: list[str],
    unneutralise: bool,
    sheet: str | None,
) -> None:
    data: dict[str, Any] = {
        "fields": fields,
        "key": key,
        "delimiter": delimiter,
        "date_formats": formats,
        "unneutralise": unneutralise,
        "encoding": "cp1251",
    }
    if sheet is not None:
        data["sheet"] = sheet
    spec = _spec(data)
    assert _spec(spec.to_dict()) == spec
