"""Applying a mapping to source rows: recoding, defaults, constants, required fields, keys."""

from __future__ import annotations

from typing import Any

from justicework.dataio import parsers
from justicework.dataio.mapping import MAX_ERRORS_PER_ROW, MappingSpec, RowMapper, key_hash
from justicework.dataio.readers import SourceRow
from justicework.dataio.schema import Field, Schema
from tests.dataio.conftest import RowsSchema


def _mapper(data: dict[str, Any], schema: Schema | None = None) -> RowMapper:
    schema = schema or RowsSchema()
    return RowMapper(MappingSpec.from_dict(data, schema), schema)


def test_values_are_recoded_before_parsing_and_the_default_fills_an_empty_cell() -> None:
    mapper = _mapper(
        {
            "fields": {
                "name": "Name",
                "colour": {"source": "C", "values": {"r": "rouge"}, "default": "green"},
            }
        }
    )
    parsed, problems = mapper.apply(SourceRow(2, {"Name": " Ann ", "C": "r"}))
    assert problems == []
    assert parsed is not None and parsed.values == {"name": "Ann", "colour": "red"}
    parsed, _ = mapper.apply(SourceRow(3, {"Name": "Bo", "C": ""}))
    assert parsed is not None and parsed.values["colour"] == "green"


def test_a_constant_fills_every_row_and_is_reported_under_the_field_name() -> None:
    mapper = _mapper({"fields": {"name": "Name", "count": {"value": "many"}}})
    parsed, problems = mapper.apply(SourceRow(2, {"Name": "Ann"}))
    assert parsed is None
    assert [(p.row, p.column) for p in problems] == [(2, "count")]
    assert "'many' is not a whole number" in problems[0].reason


def test_an_empty_required_cell_names_the_field_and_an_optional_one_is_none() -> None:
    mapper = _mapper({"fields": {"name": "Name", "born": "Born"}})
    parsed, problems = mapper.apply(SourceRow(4, {"Name": "", "Born": ""}))
    assert parsed is None
    assert [(p.column, p.reason) for p in problems] == [("Name", "is empty; Name is required.")]
    parsed, _ = mapper.apply(SourceRow(5, {"Name": "Ann", "Born": ""}))
    assert parsed is not None and parsed.values["born"] is None


def test_an_empty_key_is_refused_and_names_the_key_columns() -> None:
    mapper = _mapper({"fields": {"name": "Name"}, "key": ["Case", "Sub"]})
    parsed, problems = mapper.apply(SourceRow(2, {"Name": "Ann", "Case": "", "Sub": ""}))
    assert parsed is None
    assert problems[0].column == "Case, Sub"
    assert "The key column is empty" in problems[0].reason


def test_the_row_key_hashes_the_namespace_the_key_cells_and_the_suffix() -> None:
    mapper = _mapper({"fields": {"name": "Name"}, "key": ["Case"], "namespace": "ns"})
    parsed, _ = mapper.apply(SourceRow(2, {"Name": "Ann", "Case": "7"}, key_suffix="v[1]"))
    assert parsed is not None and parsed.key_hash == key_hash("ns", ["7", "v[1]"])
    other, _ = mapper.apply(SourceRow(3, {"Name": "Bo", "Case": "7"}, key_suffix="v[2]"))
    assert other is not None and other.key_hash != parsed.key_hash


def test_a_readers_problem_is_reported_with_the_rows_label() -> None:
    mapper = _mapper({"fields": {"name": "Name"}})
    row = SourceRow(1, {"Name": "Ann"}, label="victims[2]", problem="bad", problem_column="x")
    parsed, problems = mapper.apply(row)
    assert parsed is None
    assert [(p.column, p.reason) for p in problems] == [("x", "bad (victims[2])")]


class _Wide(RowsSchema):
    kind = "wide"
    label = "Wide"
    fields = tuple(
        Field(f"n{i}", f"N{i}", parsers.integer()) for i in range(MAX_ERRORS_PER_ROW + 5)
    )


def test_a_row_reports_at_most_the_cap_of_problems() -> None:
    schema = _Wide()
    mapper = _mapper({"fields": {f.name: f.name for f in schema.fields}}, schema)
    parsed, problems = mapper.apply(SourceRow(2, {f.name: "x" for f in schema.fields}))
    assert parsed is None
    assert len(problems) == MAX_ERRORS_PER_ROW
