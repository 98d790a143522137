"""Reading CSV files: the header is checked whole, rows keep their spreadsheet numbers, and a
problem names the row (and column) where it is."""

from __future__ import annotations

from pathlib import Path

import pytest

from justicework.dataio.readers import FileProblem, read_csv


def _write(tmp_path: Path, content: bytes) -> Path:
    path = tmp_path / "rows.csv"
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(
    ("content", "reason", "column"),
    [
        (b",,\nAnn,1\n", "The first row must name the columns; it is empty.", ""),
        (b"Name,,Count\nAnn,,1\n", "Column 2 of the header row has no name.", ""),
        (b"Name,Count,Name\nAnn,1,Bo\n", "The header names the column 'Name' twice.", "Name"),
    ],
)
def test_a_bad_header_is_refused_at_row_1(
    tmp_path: Path, content: bytes, reason: str, column: str
) -> None:
    with pytest.raises(FileProblem) as caught:
        read_csv(_write(tmp_path, content))
    assert (caught.value.reason, caught.value.row, caught.value.column) == (reason, 1, column)


def test_trailing_empty_header_cells_and_a_byte_order_mark_are_dropped(tmp_path: Path) -> None:
    source = read_csv(_write(tmp_path, "\ufeffName, Count ,,\nAnn,1,,\n".encode()))
    assert source.columns == ["Name", "Count"]
    assert [r.values for r in source.rows] == [{"Name": "Ann", "Count": "1"}]


def test_blank_rows_are_skipped_but_keep_the_numbering(tmp_path: Path) -> None:
    source = read_csv(_write(tmp_path, b"Name\nAnn\n\n,\nBo\n"))
    assert [(r.number, r.values["Name"]) for r in source.rows] == [(2, "Ann"), (5, "Bo")]


def test_a_row_wider_than_the_header_is_marked_but_empty_extra_cells_are_not(
    tmp_path: Path,
) -> None:
    rows = list(read_csv(_write(tmp_path, b"Name,Count\nAnn,1,,\nBo,2,extra\n")).rows)
    assert rows[0].problem == ""
    assert rows[1].problem == "The row has 3 cells; the header names 2 columns."


def test_an_unknown_encoding_is_named(tmp_path: Path) -> None:
    with pytest.raises(FileProblem, match="Unknown text encoding 'klingon'"):
        read_csv(_write(tmp_path, b"Name\nAnn\n"), encoding="klingon")


def test_a_bad_byte_is_reported_at_its_row_in_the_named_encoding(tmp_path: Path) -> None:
    rows = read_csv(_write(tmp_path, b"Name\nAnn\nB\xff\n"), encoding="ascii").rows
    assert next(rows).values == {"Name": "Ann"}
    with pytest.raises(FileProblem) as caught:
        next(rows)
    assert caught.value.row == 3
    assert "Row 3 is not valid ascii text" in caught.value.reason


def test_a_bad_byte_in_the_header_is_reported_at_row_1_as_utf8(tmp_path: Path) -> None:
    with pytest.raises(FileProblem, match="Row 1 is not valid UTF-8 text"):
        read_csv(_write(tmp_path, b"Na\xffme\nAnn\n"))


def test_another_delimiter_and_a_legacy_encoding_are_read(tmp_path: Path) -> None:
    content = "Имя;Возраст\nАнна;30\n".encode("cp1251")  # noqa: RUF001 - Cyrillic on purpose
    source = read_csv(_write(tmp_path, content), encoding="cp1251", delimiter=";")
    assert [r.values for r in source.rows] == [{"Имя": "Анна", "Возраст": "30"}]


def test_malformed_quoting_is_named_with_its_row(tmp_path: Path) -> None:
    rows = read_csv(_write(tmp_path, b'Name\nAnn\n"Bo"x\n')).rows
    next(rows)
    with pytest.raises(FileProblem, match="Row 3 is not valid CSV"):
        next(rows)
