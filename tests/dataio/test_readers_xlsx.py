"""Reading XLSX workbooks: the first or the named sheet, cells as text, blank rows skipped,
values beyond the header and damaged files named."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from justicework.dataio.readers import FileProblem, read_xlsx


def _workbook(tmp_path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    path = tmp_path / "rows.xlsx"
    book.save(path)
    return path


def test_the_first_sheet_is_read_with_cells_as_text(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path,
        {
            "Data": [["Name", "Born", "Count"], ["Ann", dt.date(1990, 5, 1), 3.0]],
            "Other": [["X"], ["y"]],
        },
    )
    source = read_xlsx(path)
    assert source.columns == ["Name", "Born", "Count"]
    assert [r.values for r in source.rows] == [{"Name": "Ann", "Born": "1990-05-01", "Count": "3"}]


def test_a_named_sheet_is_read(tmp_path: Path) -> None:
    path = _workbook(tmp_path, {"Data": [["Name"], ["Ann"]], "Other": [["X"], ["y"]]})
    assert [r.values for r in read_xlsx(path, sheet="Other").rows] == [{"X": "y"}]


def test_blank_rows_are_skipped_keeping_the_numbering(tmp_path: Path) -> None:
    path = _workbook(tmp_path, {"Data": [["Name"], ["Ann"], [None], ["  "], ["Bo"]]})
    assert [(r.number, r.values["Name"]) for r in read_xlsx(path).rows] == [(2, "Ann"), (5, "Bo")]


def test_a_value_beyond_the_last_named_column_marks_the_row(tmp_path: Path) -> None:
    path = _workbook(tmp_path, {"Data": [["Name"], ["Ann", None], ["Bo", "stray"]]})
    rows = list(read_xlsx(path).rows)
    assert [r.problem for r in rows] == ["", "The row has values beyond the last named column."]


def test_an_empty_sheet_is_an_empty_file(tmp_path: Path) -> None:
    path = _workbook(tmp_path, {"Data": []})
    with pytest.raises(FileProblem, match="The file is empty"):
        read_xlsx(path)


@pytest.mark.parametrize("content", [b"Name,Count\nAnn,1\n", b"PK\x03\x04 truncated"])
def test_a_file_that_is_not_a_workbook_is_named_damaged(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "rows.xlsx"
    path.write_bytes(content)
    with pytest.raises(FileProblem, match="not a readable XLSX workbook"):
        read_xlsx(path)
