"""The export writers cell by cell: how CSV spells empty values, booleans, dates and lists and
neutralises formulas; JSON keeps values as data (dates as ISO text, anything else as text);
XLSX drops characters XML cannot hold, keeps long numbers whole as text, and is a workbook."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import openpyxl
import pytest

from justicework.dataio import export


def csv_rows(header, rows) -> list[list[str]]:
    text = b"".join(export.csv_lines(header, rows)).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


@pytest.mark.parametrize(
    "value, cell",
    [
        (None, ""),
        (True, "true"),
        (False, "false"),
        (dt.date(2023, 5, 4), "2023-05-04"),
        (dt.datetime(2023, 5, 4, 10, 30, tzinfo=dt.UTC), "2023-05-04T10:30:00+00:00"),
        (["UA", "GE"], "UA; GE"),
        (("a",), "a"),
        (42, "42"),
        (2.5, "2.5"),
        (Decimal("1.10"), "1.10"),
        ("=1+1", "'=1+1"),
        (["=cmd", "x"], "'=cmd; x"),
        ("Олена", "Олена"),
    ],
)
def test_a_csv_cell_is_written_as_people_and_spreadsheets_expect(value, cell):
    assert csv_rows(["h"], [[value]]) == [["h"], [cell]]


def test_a_csv_header_is_neutralised_too():
    assert csv_rows(["@name", "ok"], []) == [["'@name", "ok"]]


def test_csv_keeps_commas_quotes_and_line_breaks_inside_a_cell():
    value = 'He said "stop",\nthen left'
    assert csv_rows(["h"], [[value]])[1] == [value]


def test_csv_is_produced_one_row_at_a_time():
    lines = export.csv_lines(["h"], iter([[1], [2], [3]]))
    assert len(list(lines)) == 4  # the header, then one chunk per row


def test_json_is_an_array_of_objects_keyed_by_the_header():
    rows = [[1, "=cmd", None], [2, "Олена", True]]
    data = json.loads(b"".join(export.json_chunks(["id", "name", "flag"], rows)))
    assert data == [
        {"id": 1, "name": "=cmd", "flag": None},
        {"id": 2, "name": "Олена", "flag": True},
    ]


def test_json_writes_dates_as_iso_text_and_other_values_as_text():
    rows = [[dt.date(2023, 5, 4), Decimal("1.10")]]
    assert json.loads(b"".join(export.json_chunks(["when", "amount"], rows))) == [
        {"when": "2023-05-04", "amount": "1.10"}
    ]


def test_json_of_no_rows_is_an_empty_array():
    assert json.loads(b"".join(export.json_chunks(["a"], []))) == []


def test_json_refuses_a_row_longer_or_shorter_than_the_header():
    with pytest.raises(ValueError):
        b"".join(export.json_chunks(["a", "b"], [[1]]))


@pytest.mark.parametrize(
    "value, kept",
    [("a\x00b\x0bc", "abc"), ("line\r\nnext\rlast", "line\nnext\nlast"), ("tab\tok", "tab\tok")],
)
def test_xlsx_text_drops_what_xml_cannot_hold_and_unifies_line_ends(value, kept):
    assert export.xlsx_text(value) == kept


def workbook_rows(header, rows) -> list[tuple]:
    out = io.BytesIO()
    export.write_xlsx(header, rows, out)
    out.seek(0)
    return list(openpyxl.load_workbook(out, read_only=True).active.iter_rows(values_only=True))


def test_an_xlsx_keeps_numbers_dates_and_booleans_typed_and_neutralises_text():
    when = dt.date(2023, 5, 4)
    rows = workbook_rows(
        ["n", "when", "flag", "text", "list"], [[7, when, True, "=cmd", ["a", "b"]]]
    )
    assert rows[0] == ("n", "when", "flag", "text", "list")
    n, stored_when, flag, text, joined = rows[1]
    assert (n, flag, text, joined) == (7, True, "'=cmd", "a; b")
    assert stored_when.date() == when


def test_an_xlsx_keeps_a_long_number_whole_as_text():
    rows = workbook_rows(["id"], [[12345678901234567], [-(10**15)], [10**15 - 1]])
    assert [r[0] for r in rows[1:]] == ["12345678901234567", "'-1000000000000000", 10**15 - 1]


def test_an_xlsx_file_is_rewound_and_ready_to_stream():
    handle = export.xlsx_file(["a"], [[1]])
    try:
        assert handle.read(2) == b"PK"
    finally:
        handle.close()
