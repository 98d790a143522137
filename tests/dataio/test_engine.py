"""The generic engine: dry run reports every bad row and writes nothing; commit is all or
nothing or resumable; re-runs never duplicate; every kind of bad input gets a row-level message."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest
from django.test import override_settings

from justicework.audit.models import AuditEntry
from justicework.dataio import engine
from justicework.dataio.mapping import MappingSpec
from justicework.dataio.models import ImportedRow

from .conftest import HEADER, SPEC, RowsSchema, created_rows, good_rows, write_csv


def spec(**extra):
    return MappingSpec.from_dict({**SPEC, **extra}, RowsSchema())


def validate(path, org, fmt="csv", **extra):
    found = []
    outcome = engine.validate(RowsSchema(), org, path, fmt, spec(**extra), on_problem=found.append)
    return outcome, found


def counts():
    return AuditEntry.objects.count(), ImportedRow.objects.count()


def test_dry_run_reports_every_bad_row_with_row_column_reason_and_writes_nothing(
    rows_schema, acme, tmp_path
):
    path = write_csv(
        tmp_path / "f.csv",
        [
            HEADER,
            ["a", "Ann", "2001-02-03", "red", "1"],
            ["b", "", "2001-02-30", "purple", "x"],
            ["c", "Cy", "31/12/1999", "Rouge", "1001"],
            ["d", "forbidden", "", "", ""],
        ],
    )
    before = counts()
    outcome, found = validate(path, acme)
    assert counts() == before
    assert not outcome.ok
    assert outcome.rows == 4
    assert outcome.valid == 1
    by_cell = {(p.row, p.column): p.reason for p in found}
    assert "required" in by_cell[(3, "Name")]
    assert "not a real date" in by_cell[(3, "Born")]
    assert "'purple' is not a known" in by_cell[(3, "Colour")]
    assert "not a whole number" in by_cell[(3, "Count")]
    assert "above the maximum" in by_cell[(4, "Count")]
    assert "forbidden" in by_cell[(5, "name")]
    assert outcome.error_count == len(found) == 6


def test_date_formats_from_the_mapping_are_accepted(rows_schema, acme, tmp_path):
    path = write_csv(tmp_path / "f.csv", [HEADER, ["a", "Ann", "31/12/1999", "", ""]])
    outcome, found = validate(path, acme)
    assert outcome.ok, found


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"ID,Name\n1,Ann\n", "no column named 'Born', 'Colour', 'Count'"),
        (b"", "empty"),
        (b"ID,Name,Born,Colour,Count\n", "no data rows"),
        ("ID,Name,Born,Colour,Count\n1,Zo\xeb,,,\n".encode("latin-1"), "not valid UTF-8"),
        (b"ID,Name,Name,Colour,Count\n", "names the column 'Name' twice"),
        (b'ID,Name,Born,Colour,Count\n1,"unterminated,,,\n', "not valid CSV"),
    ],
)
def test_bad_csv_files_get_a_clear_message_and_change_nothing(
    rows_schema, acme, tmp_path, content, expected
):
    path = tmp_path / "f.csv"
    path.write_bytes(content)
    before = counts()
    outcome, _ = validate(path, acme)
    assert outcome.problem is not None
    assert expected in outcome.problem.reason
    committed = engine.commit(RowsSchema(), None, acme, path, "csv", spec())
    assert not committed.committed
    assert counts() == before


def test_wrong_encoding_names_the_row(rows_schema, acme, tmp_path):
    rows = [",".join(r) for r in [HEADER, *good_rows(5)]]
    data = ("\n".join(rows) + "\n").encode() + "x9,Zo\xeb,,,\n".encode("latin-1")
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    outcome, _ = validate(path, acme)
    assert outcome.problem is not None
    assert outcome.problem.row == 7
    assert "Row 7" in outcome.problem.reason


def test_other_encodings_are_read_when_the_mapping_names_them(rows_schema, acme, tmp_path):
    path = write_csv(tmp_path / "f.csv", [HEADER, ["a", "Zoë", "", "", ""]], encoding="cp1252")
    outcome, found = validate(path, acme, encoding="cp1252")
    assert outcome.ok, found


def test_a_bom_is_ignored(rows_schema, acme, tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(b"\xef\xbb\xbfID,Name,Born,Colour,Count\na,Ann,,,\n")
    outcome, found = validate(path, acme)
    assert outcome.ok, found


def test_duplicate_keys_in_one_file_are_reported(rows_schema, acme, tmp_path):
    path = write_csv(tmp_path / "f.csv", [HEADER, *good_rows(3), ["r2", "Again", "", "", ""]])
    _outcome, found = validate(path, acme)
    assert [(p.row, p.reason) for p in found] == [(5, "Duplicate key: row 3 has the same key.")]


def test_an_empty_key_is_reported(rows_schema, acme, tmp_path):
    path = write_csv(tmp_path / "f.csv", [HEADER, ["", "Ann", "", "", ""]])
    _, found = validate(path, acme)
    assert [p.column for p in found] == ["ID"]


def test_a_row_with_too_many_cells_is_reported(rows_schema, acme, tmp_path):
    path = write_csv(tmp_path / "f.csv", [HEADER, ["a", "Ann", "", "", "", "extra"]])
    _, found = validate(path, acme)
    assert "6 cells" in found[0].reason


@override_settings(IMPORT_MAX_BYTES=100)
def test_a_file_over_the_size_limit_is_refused(rows_schema, acme, tmp_path):
    path = write_csv(tmp_path / "f.csv", [HEADER, *good_rows(10)])
    outcome, _ = validate(path, acme)
    assert "the limit is 100 bytes" in outcome.problem.reason


def _xlsx(path, rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_xlsx_is_read_with_dates_and_numbers_as_text(rows_schema, acme, tmp_path):
    import datetime as dt

    path = _xlsx(
        tmp_path / "f.xlsx",
        [
            HEADER,
            [
                "a",
                "Ann",
                dt.datetime(2001, 2, 3),  # noqa: DTZ001 - a naive spreadsheet cell
                "red",
                7.0,
            ],
        ],
    )
    outcome, found = validate(path, acme, fmt="xlsx")
    assert outcome.ok, found
    result = engine.commit(RowsSchema(), None, acme, path, "xlsx", spec())
    assert result.committed and result.created == 1


def test_a_truncated_xlsx_is_refused_clearly(rows_schema, acme, tmp_path):
    path = _xlsx(tmp_path / "f.xlsx", [HEADER, *good_rows(50)])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert not zipfile.is_zipfile(path)
    before = counts()
    outcome, _ = validate(path, acme, fmt="xlsx")
    assert "not a readable XLSX workbook" in outcome.problem.reason
    assert counts() == before


def test_a_csv_uploaded_as_xlsx_is_refused_clearly(rows_schema, acme, tmp_path):
    path = write_csv(tmp_path / "f.xlsx", [HEADER, *good_rows(2)])
    outcome, _ = validate(path, acme, fmt="xlsx")
    assert "not a readable XLSX workbook" in outcome.problem.reason


def test_an_unknown_sheet_is_named(rows_schema, acme, tmp_path):
    path = _xlsx(tmp_path / "f.xlsx", [HEADER, *good_rows(2)])
    outcome, _ = validate(path, acme, fmt="xlsx", sheet="Nope")
    assert "no sheet called 'Nope'" in outcome.problem.reason


# --- commit ---------------------------------------------------------------------------------


def test_commit_writes_every_row_and_a_rerun_creates_no_duplicates(rows_schema, acme, tmp_path):
    path = write_csv(tmp_path / "f.csv", [HEADER, *good_rows(25)])
    first = engine.commit(RowsSchema(), None, acme, path, "csv", spec(), chunk_size=10)
    assert first.committed and first.created == 25
    again = engine.commit(RowsSchema(), None, acme, path, "csv", spec(), chunk_size=10)
    assert again.committed and again.created == 0 and again.skipped == 25
    assert len(created_rows()) == 25
    dry, _ = validate(path, acme)
    assert dry.ok and dry.already_imported == 25


def test_commit_with_a_bad_row_writes_nothing(rows_schema, acme, tmp_path):
    path = write_csv(tmp_path / "f.csv", [HEADER, *good_rows(25), ["x", "", "", "", ""]])
    before = counts()
    outcome = engine.commit(RowsSchema(), None, acme, path, "csv", spec(), chunk_size=10)
    assert not outcome.committed and outcome.error_count == 1
    assert counts() == before


@pytest.mark.django_db(transaction=True)
def test_a_crash_in_an_atomic_commit_leaves_nothing(rows_schema, cast, tmp_path):
    path = write_csv(tmp_path / "f.csv", [HEADER, *good_rows(35)])
    rows_schema.fail_at_chunk = 3
    before = counts()
    with pytest.raises(RuntimeError, match="simulated crash"):
        engine.commit(RowsSchema(), None, cast.acme, path, "csv", spec(), chunk_size=10)
    assert counts() == before
    rows_schema.fail_at_chunk = None
    outcome = engine.commit(RowsSchema(), None, cast.acme, path, "csv", spec(), chunk_size=10)
    assert outcome.created == 35
    assert sorted(created_rows()) == sorted(f"Person {i}" for i in range(1, 36))


@pytest.mark.django_db(transaction=True)
def test_a_crash_in_a_resumable_commit_keeps_complete_chunks_and_resumes(
    rows_schema, cast, tmp_path
):
    path = write_csv(tmp_path / "f.csv", [HEADER, *good_rows(35)])
    rows_schema.fail_at_chunk = 3
    with pytest.raises(RuntimeError, match="simulated crash"):
        engine.commit(
            RowsSchema(), None, cast.acme, path, "csv", spec(), resumable=True, chunk_size=10
        )
    assert len(created_rows()) == 20
    assert ImportedRow.objects.count() == 20
    rows_schema.fail_at_chunk = None
    outcome = engine.commit(
        RowsSchema(), None, cast.acme, path, "csv", spec(), resumable=True, chunk_size=10
    )
    assert outcome.created == 15 and outcome.skipped == 20
    assert sorted(created_rows()) == sorted(f"Person {i}" for i in range(1, 36))


def test_keys_are_scoped_by_organisation_and_namespace(rows_schema, acme, beacon, tmp_path):
    path = write_csv(tmp_path / "f.csv", [HEADER, *good_rows(3)])
    assert engine.commit(RowsSchema(), None, acme, path, "csv", spec()).created == 3
    assert engine.commit(RowsSchema(), None, beacon, path, "csv", spec()).created == 3
    other = spec(namespace="another-survey")
    assert engine.commit(RowsSchema(), None, acme, path, "csv", other).created == 3
    assert engine.commit(RowsSchema(), None, acme, path, "csv", other).created == 0


def test_without_key_columns_the_whole_row_is_the_key(rows_schema, acme, tmp_path):
    path = write_csv(tmp_path / "f.csv", [HEADER, *good_rows(3)])
    keyless = MappingSpec.from_dict({"fields": SPEC["fields"]}, RowsSchema())
    assert engine.commit(RowsSchema(), None, acme, path, "csv", keyless).created == 3
    assert engine.commit(RowsSchema(), None, acme, path, "csv", keyless).created == 0


def test_a_decoding_error_late_in_the_file_rolls_back_the_chunks_already_written(
    rows_schema, acme, tmp_path
):
    lines = [",".join(r) for r in [HEADER, *good_rows(30)]]
    path = tmp_path / "f.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode() + "x9,Zo\xeb,,,\n".encode("latin-1"))
    before = counts()
    outcome = engine.commit(RowsSchema(), None, acme, path, "csv", spec(), chunk_size=10)
    assert not outcome.committed and outcome.problem.row == 32
    assert counts() == before


def test_every_bad_row_is_reported_by_a_commit_even_after_the_first(rows_schema, acme, tmp_path):
    rows = good_rows(30)
    rows[3][4] = "x"
    rows[27][4] = "y"
    path = write_csv(tmp_path / "f.csv", [HEADER, *rows])
    before = counts()
    outcome = engine.commit(RowsSchema(), None, acme, path, "csv", spec(), chunk_size=10)
    assert not outcome.committed
    assert [(p.row, p.column) for p in outcome.sample] == [(5, "Count"), (29, "Count")]
    assert counts() == before


def _cache_size() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        return int(cursor.fetchone()[0])


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("fail", [False, True])
def test_sqlite_page_cache_is_larger_while_an_import_writes_and_restored_after(
    rows_schema, cast, tmp_path, monkeypatch, fail
):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    path = write_csv(tmp_path / "f.csv", [HEADER, *good_rows(15)])
    before = _cache_size()
    seen: list[int] = []
    commit_chunk = RowsSchema.commit_chunk

    def watching(self, actor, organisation, rows):
        seen.append(_cache_size())
        return commit_chunk(self, actor, organisation, rows)

    monkeypatch.setattr(RowsSchema, "commit_chunk", watching)
    rows_schema.fail_at_chunk = 2 if fail else None
    if fail:
        with pytest.raises(RuntimeError, match="simulated crash"):
            engine.commit(RowsSchema(), None, cast.acme, path, "csv", spec(), chunk_size=10)
    else:
        engine.commit(RowsSchema(), None, cast.acme, path, "csv", spec(), chunk_size=10)
    assert seen and set(seen) == {-engine.SQLITE_IMPORT_CACHE_KIB}
    assert _cache_size() == before
