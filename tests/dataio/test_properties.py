"""Property tests (hypothesis) for the readers, parsers, mapping and export writers."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from justicework.dataio import engine, export
from justicework.dataio.mapping import MappingSpec, RowMapper
from justicework.dataio.neutralise import FORMULA_PREFIXES, is_safe, neutralise, unneutralise
from justicework.dataio.readers import FileProblem, SourceRow, flatten_submission, read_csv

from .conftest import SPEC, RowsSchema

# Text a person could type: any character except lone surrogates.
cell_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@given(cell_text)
@PROPERTY_SETTINGS
def test_neutralised_cells_are_never_formulas_and_restore_exactly(value):
    safe = neutralise(value)
    assert is_safe(safe)
    assert unneutralise(safe) == value


@given(st.sampled_from(FORMULA_PREFIXES), cell_text)
@PROPERTY_SETTINGS
def test_formula_prefixes_always_get_a_quote(prefix, rest):
    assert neutralise(prefix + rest) == "'" + prefix + rest


@given(st.lists(st.tuples(cell_text, cell_text), min_size=1, max_size=20))
@PROPERTY_SETTINGS
def test_csv_export_then_import_preserves_every_value(rows):
    header = ["key", "a", "b"]
    keyed = [[f"k{i}", a, b] for i, (a, b) in enumerate(rows)]
    data = b"".join(export.csv_lines(header, keyed))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.csv"
        path.write_bytes(data)
        source = read_csv(path)
        assert source.columns == header
        back = [[unneutralise(row.values[c]) for c in header] for row in source.rows]
    assert back == keyed


@given(st.lists(st.tuples(cell_text, cell_text), min_size=1, max_size=20))
@PROPERTY_SETTINGS
def test_csv_export_never_writes_a_formula_cell(rows):
    import csv

    data = b"".join(export.csv_lines(["a", "b"], rows)).decode("utf-8-sig")
    for row in csv.reader(io.StringIO(data, newline="")):
        assert all(is_safe(cell) for cell in row)


@given(st.lists(st.tuples(cell_text, st.integers(), cell_text), min_size=1, max_size=10))
@PROPERTY_SETTINGS
def test_xlsx_export_never_writes_a_formula_cell_and_keeps_text(rows):
    out = io.BytesIO()
    export.write_xlsx(["a", "n", "b"], rows, out)
    out.seek(0)
    sheet = openpyxl.load_workbook(out, read_only=True).worksheets[0]
    read = list(sheet.iter_rows(values_only=True))[1:]
    assert len(read) == len(rows)
    for (a, n, b), cells in zip(rows, read, strict=True):
        assert all(is_safe(c) for c in cells)
        assert cells[1] == (n if abs(n) < 10**15 else neutralise(str(n)))
        for original, cell in ((a, cells[0]), (b, cells[2])):
            kept = export.xlsx_text(original)
            assert unneutralise(cell or "") == kept


@given(st.lists(st.tuples(cell_text, cell_text), max_size=10))
@PROPERTY_SETTINGS
def test_json_export_is_valid_json_with_the_values(rows):
    data = b"".join(export.json_chunks(["a", "b"], rows))
    assert json.loads(data) == [{"a": a, "b": b} for a, b in rows]


@given(st.dictionaries(st.sampled_from(["ID", "Name", "Born", "Colour", "Count"]), cell_text))
@PROPERTY_SETTINGS
def test_arbitrary_cells_never_crash_the_mapper(values):
    mapper = RowMapper(MappingSpec.from_dict(SPEC, RowsSchema()), RowsSchema())
    parsed, problems = mapper.apply(SourceRow(2, values))
    assert (parsed is None) == bool(problems)
    for problem in problems:
        assert problem.row == 2 and problem.reason


@pytest.mark.django_db
@given(st.binary(max_size=300))
@PROPERTY_SETTINGS
def test_arbitrary_bytes_never_crash_validation(rows_schema, acme, data):
    spec = MappingSpec.from_dict(SPEC, RowsSchema())
    with tempfile.TemporaryDirectory() as tmp:
        for fmt, name in (("csv", "f.csv"), ("xlsx", "f.xlsx"), ("kobo", "f.json")):
            path = Path(tmp) / name
            path.write_bytes(data)
            outcome = engine.validate(RowsSchema(), acme, path, fmt, spec)
            assert outcome.ok or outcome.problem is not None or outcome.error_count > 0


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | cell_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(cell_text, inner, max_size=3),
    max_leaves=12,
)


@given(st.dictionaries(cell_text, json_values, max_size=6))
@PROPERTY_SETTINGS
def test_any_submission_flattens_to_text(submission):
    flat = flatten_submission(submission)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in flat.items())


def test_file_problem_carries_row_and_reason():
    problem = FileProblem("bad", row=3, column="x")
    assert (problem.row, problem.column, problem.reason) == (3, "x", "bad")
