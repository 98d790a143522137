"""Readers' small parts: a spreadsheet cell as text, how deep a JSON document nests, Kobo
submissions that are not objects, and files with nothing in them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from justicework.dataio import readers
from justicework.dataio.readers import FileProblem


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (True, "true"),
        (False, "false"),
        (dt.datetime(2024, 2, 29, 0, 0), "2024-02-29"),  # noqa: DTZ001  # cells are naive
        (dt.datetime(2024, 2, 29, 13, 5, 7), "2024-02-29T13:05:07"),  # noqa: DTZ001
        (dt.date(1999, 12, 31), "1999-12-31"),
        (dt.time(8, 30), "08:30:00"),
        (42.0, "42"),
        (-3.0, "-3"),
        (2.5, "2.5"),
        (2.0**60, str(2.0**60)),
        (7, "7"),
        ("  text ", "  text "),
    ],
)
def test_a_cell_reads_as_text(value, text):
    assert readers.cell_text(value) == text


def nested(depth: int) -> object:
    document: object = 1
    for level in range(depth):
        document = [document] if level % 2 else {"k": document}
    return document


def test_json_depth_counts_lists_and_objects_from_one():
    assert not readers.nested_deeper_than("scalar", 0)
    assert not readers.nested_deeper_than(nested(3), 3)
    assert readers.nested_deeper_than(nested(4), 3)
    assert not readers.nested_deeper_than([[], {}, [1, 2]], 2)
    assert readers.nested_deeper_than([[], {}, [[1]]], 2)


def test_a_very_deep_document_is_measured_without_recursion():
    assert readers.nested_deeper_than(nested(100_000), readers.MAX_JSON_DEPTH)


def test_a_kobo_submission_that_is_not_an_object_is_skipped_with_a_reason(tmp_path: Path):
    path = tmp_path / "subs.json"
    path.write_text(json.dumps([{"_uuid": "a", "name": "Ann"}, "oops", {"_uuid": "c"}]))
    source = readers.read_kobo(path)
    rows = list(source.rows)
    assert [r.number for r in rows] == [1, 2, 3]
    assert rows[0].values["name"] == "Ann" and rows[0].problem == ""
    assert rows[1].values == {} and "not a JSON object" in rows[1].problem
    assert not source.fixed_columns


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf"])
def test_a_csv_file_without_a_header_is_empty(tmp_path: Path, content: bytes):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(FileProblem, match="The file is empty"):
        readers.read_csv(path)


def test_a_file_over_the_limit_is_refused_before_reading(tmp_path: Path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * 11)
    assert readers.check_size(path, limit=11) == 11
    with pytest.raises(FileProblem, match="11 bytes; the limit is 10 bytes"):
        readers.check_size(path, limit=10)
