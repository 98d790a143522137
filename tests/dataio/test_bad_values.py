"""NUL bytes in imported values and deeply nested Kobo JSON (issue 9, finding 8).

A NUL byte is refused as a row error naming the row and the column, in every format: it is
neither stored (PostgreSQL refuses it in text, SQLite cuts text at it) nor cut away. A Kobo
file nested deeper than the readers accept answers a clear message, never a RecursionError.
"""

from __future__ import annotations

import json
import shutil
import zipfile

import openpyxl
import pytest

from justicework.dataio import engine
from justicework.dataio.mapping import MappingError, MappingSpec
from justicework.dataio.models import ImportedRow
from justicework.dataio.readers import MAX_JSON_DEPTH

from .conftest import HEADER, SPEC, RowsSchema, created_rows, good_rows, write_csv


def spec(**extra):
    return MappingSpec.from_dict({**SPEC, **extra}, RowsSchema())


def check(path, org, fmt="csv", **extra):
    found = []
    outcome = engine.validate(RowsSchema(), org, path, fmt, spec(**extra), on_problem=found.append)
    return outcome, found


def assert_refused_without_writing(path, org, fmt, expected, **extra):
    outcome, found = check(path, org, fmt, **extra)
    assert not outcome.ok
    cells = {(p.row, p.column) for p in found if "NUL" in p.reason}
    assert cells == expected, found
    committed = engine.commit(RowsSchema(), None, org, path, fmt, spec(**extra))
    assert not committed.committed
    assert created_rows() == []
    assert ImportedRow.objects.count() == 0


@pytest.mark.parametrize("column", ["Name", "Colour", "ID"])
def test_a_nul_byte_in_a_csv_cell_is_a_row_error_naming_row_and_column(
    rows_schema, acme, tmp_path, column
):
    rows = good_rows(3)
    index = HEADER.index(column)
    rows[1][index] = rows[1][index][:2] + "\x00" + rows[1][index][2:]
    path = write_csv(tmp_path / "f.csv", [HEADER, *rows])
    assert_refused_without_writing(path, acme, "csv", {(3, column)})


def test_a_nul_byte_in_a_mapped_recoded_value_is_refused_before_recoding(
    rows_schema, acme, tmp_path
):
    rows = good_rows(2)
    rows[0][3] = "red\x00"
    path = write_csv(tmp_path / "f.csv", [HEADER, *rows])
    _outcome, found = check(path, acme)
    assert [(p.row, p.column) for p in found] == [(2, "Colour")]
    assert "NUL" in found[0].reason


def _xlsx_with_nul(path, rows, marker, nul):
    """openpyxl will not write a NUL: put one (raw, or as a character reference) into the
    workbook's XML by hand."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    plain = path.with_suffix(".plain.xlsx")
    workbook.save(plain)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, data.replace(marker.encode(), nul))
    plain.unlink()
    return path


@pytest.mark.parametrize("nul", [b"\x00", b"&#0;", b"_x0000_"])
def test_a_nul_byte_in_an_xlsx_cell_is_refused_and_nothing_stored(rows_schema, acme, tmp_path, nul):
    """XML cannot hold a NUL: the workbook is refused as damaged; its escaped form
    ``_x0000_`` is read as the text it is (openpyxl does not unescape it)."""
    rows = good_rows(3)
    rows[2][1] = "PersonNULMARK3"
    path = _xlsx_with_nul(tmp_path / "f.xlsx", [HEADER, *rows], "NULMARK", nul)
    outcome, _found = check(path, acme, "xlsx")
    committed = engine.commit(RowsSchema(), None, acme, path, "xlsx", spec())
    if nul == b"_x0000_":
        assert committed.committed
        assert "Person_x0000_3" in created_rows()
        return
    assert "not a readable XLSX workbook" in outcome.problem.reason
    assert not committed.committed
    assert created_rows() == [] and ImportedRow.objects.count() == 0


def test_a_nul_byte_from_any_reader_is_refused_by_the_mapper(rows_schema):
    from justicework.dataio.mapping import RowMapper
    from justicework.dataio.readers import SourceRow

    mapper = RowMapper(spec(), RowsSchema())
    values = {"ID": "r1", "Name": "Ann", "Born": "", "Colour": "red", "Count": "1"}
    parsed, problems = mapper.apply(SourceRow(7, {**values, "Count": "1\x00"}))
    assert parsed is None
    assert [(p.row, p.column) for p in problems] == [(7, "Count")]
    assert "NUL" in problems[0].reason
    parsed, problems = mapper.apply(SourceRow(7, {**values, "Unmapped": "\x00"}))
    assert parsed is not None and problems == []


def kobo(path, results):
    path.write_text(json.dumps({"count": len(results), "results": results}), encoding="utf-8")
    return path


def test_a_nul_byte_in_a_kobo_value_is_a_row_error(rows_schema, acme, tmp_path):
    path = kobo(
        tmp_path / "k.json",
        [
            {"_uuid": "u1", "person": {"name": "Ann"}},
            {"_uuid": "u2", "person": {"name": "B\u0000o"}},
        ],
    )
    assert "\\u0000" in path.read_text()
    fields = {"fields": {"name": "person/name"}, "key": []}
    _outcome, found = check(path, acme, "kobo", **fields)
    assert [(p.row, p.column) for p in found] == [(2, "person/name")]
    committed = engine.commit(RowsSchema(), None, acme, path, "kobo", spec(**fields))
    assert not committed.committed and created_rows() == []


def test_a_nul_byte_in_a_kobo_key_is_a_row_error(rows_schema, acme, tmp_path):
    path = kobo(tmp_path / "k.json", [{"_uuid": "u\u00001", "person": {"name": "Ann"}}])
    _outcome, found = check(path, acme, "kobo", fields={"name": "person/name"}, key=[])
    assert [(p.row, p.column) for p in found] == [(1, "_uuid")]


def test_a_mapping_holding_a_nul_byte_is_refused_when_saved():
    with pytest.raises(MappingError, match="NUL"):
        spec(fields={**SPEC["fields"], "colour": {"source": "Colour", "values": {"r\x00": "red"}}})
    with pytest.raises(MappingError, match="NUL"):
        spec(namespace="ns\x00")


@pytest.mark.parametrize("opener", ["[", '{"a":'])
def test_deeply_nested_kobo_json_answers_a_clear_error(rows_schema, acme, tmp_path, opener):
    closer = "]" if opener == "[" else "}"
    path = tmp_path / "deep.json"
    path.write_text(opener * 100_000 + "1" + closer * 100_000)
    outcome, _ = check(path, acme, "kobo", fields={"name": "person/name"}, key=[])
    assert f"nested deeper than {MAX_JSON_DEPTH} levels" in outcome.problem.reason
    committed = engine.commit(
        RowsSchema(), None, acme, path, "kobo", spec(fields={"name": "person/name"}, key=[])
    )
    assert not committed.committed
    assert "nested deeper" in committed.problem.reason


def test_nesting_just_past_the_limit_is_refused_and_at_the_limit_read(rows_schema, acme, tmp_path):
    def nested(depth):
        # depth counts the document's own list, the submission object and the groups inside it
        inner = "1"
        for _ in range(depth - 2):
            inner = '{"g": ' + inner + "}"
        return [{"_uuid": "u1", "person": {"name": "Ann"}, "deep": json.loads(inner)}]

    fields = {"fields": {"name": "person/name"}, "key": []}
    ok = tmp_path / "ok.json"
    ok.write_text(json.dumps(nested(MAX_JSON_DEPTH)))
    outcome, found = check(ok, acme, "kobo", **fields)
    assert outcome.ok, (outcome.problem, found)
    deep = tmp_path / "deep.json"
    deep.write_text(json.dumps(nested(MAX_JSON_DEPTH + 1)))
    outcome, _ = check(deep, acme, "kobo", **fields)
    assert f"nested deeper than {MAX_JSON_DEPTH} levels" in outcome.problem.reason


def test_the_command_line_answers_deep_nesting_without_a_traceback(cast, tmp_path):
    import io

    from django.core.management import call_command

    from justicework.dataio import actions

    actions.save_mapping(
        cast.documenter, cast.acme, kind="violations", name="Kobo", file_format="kobo",
        spec={"fields": {"incident_ref": "_uuid", "incident_title": "t", "type": "x"}},
    )  # fmt: skip
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command(
            "import", "violations", str(path), "--organisation", cast.acme.slug,
            "--as", cast.documenter.email, "--mapping", "Kobo", stdout=out, stderr=io.StringIO(),
        )  # fmt: skip
    assert exit_info.value.code == 1
    assert "nested deeper than" in out.getvalue()
    shutil.rmtree(tmp_path, ignore_errors=True)
