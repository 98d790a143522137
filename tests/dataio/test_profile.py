"""``dataio.profile``: what the mapping builder learns from a file: its columns, a few samples
and the distinct values of each (bounded), from the first rows of a CSV and from the whole of
a Kobo file, and a copy without any cell value."""

from __future__ import annotations

import json

import pytest

from justicework.dataio import profile
from justicework.dataio.mapping import MappingSpec
from justicework.dataio.profile import FileProfile, profile_file
from justicework.dataio.readers import SourceRow

from .conftest import RowsSchema, write_csv


def spec() -> MappingSpec:
    return MappingSpec.from_dict({"fields": {"name": "Name"}}, RowsSchema())


def test_samples_and_distinct_values_skip_blanks_and_repeats():
    found = FileProfile(columns=["Colour"])
    for number, colour in enumerate([" red ", "", "red", "green", "blue"], start=2):
        found.add(SourceRow(number, {"Colour": colour}))
    assert found.distinct == {"Colour": ["red", "green", "blue"]}
    assert found.samples == {"Colour": ["red", "green", "blue"]}
    assert found.more == set()


def test_samples_and_distinct_values_are_bounded(monkeypatch):
    monkeypatch.setattr(profile, "SAMPLES", 2)
    monkeypatch.setattr(profile, "DISTINCT", 3)
    found = FileProfile(columns=["N"])
    for number in range(6):
        found.add(SourceRow(number + 2, {"N": str(number)}))
    assert found.samples == {"N": ["0", "1"]}
    assert found.distinct == {"N": ["0", "1", "2"]}
    assert found.more == {"N"}


def test_a_column_first_seen_in_a_row_is_added():
    found = FileProfile(columns=["a"])
    found.add(SourceRow(1, {"a": "1", "group/b": "2"}))
    assert found.columns == ["a", "group/b"]


def test_a_csv_profile_reads_the_first_rows_only(tmp_path, monkeypatch):
    monkeypatch.setattr(profile, "PROFILE_ROWS", 3)
    path = write_csv(tmp_path / "f.csv", [["ID", "Name"], *[[str(i), f"P{i}"] for i in range(5)]])
    found = profile_file(path, "csv", spec())
    assert found.columns == ["ID", "Name"]
    assert found.rows_read == 3 and not found.complete
    assert found.distinct["Name"] == ["P0", "P1", "P2"]
    assert not found.kobo


def test_a_short_csv_is_profiled_completely(tmp_path):
    path = write_csv(tmp_path / "f.csv", [["ID", "Name"], ["1", "Ann"]])
    found = profile_file(path, "csv", spec())
    assert found.rows_read == 1 and found.complete


def test_a_kobo_profile_reads_every_submission_and_every_path(tmp_path, monkeypatch):
    monkeypatch.setattr(profile, "PROFILE_ROWS", 1)
    path = tmp_path / "subs.json"
    path.write_text(json.dumps([{"_uuid": "a"}, {"_uuid": "b", "group": {"late": "x"}}]))
    found = profile_file(path, "kobo", spec())
    assert found.kobo and found.complete and found.rows_read == 2
    assert "group/late" in found.columns and found.columns == sorted(found.columns)


def test_the_copy_without_values_keeps_the_columns_only():
    found = FileProfile(columns=["Name"], rows_read=4, complete=False, kobo=True)
    found.add(SourceRow(2, {"Name": "Ann"}))
    bare = found.without_values()
    assert bare.columns == ["Name"] and (bare.rows_read, bare.complete, bare.kobo) == (
        4,
        False,
        True,
    )
    assert bare.samples == {} and bare.distinct == {} and bare.more == set()


def test_a_file_that_cannot_be_read_is_a_file_problem(tmp_path):
    from justicework.dataio.readers import FileProblem

    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(FileProblem):
        profile_file(path, "csv", spec())
