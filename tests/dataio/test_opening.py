"""``dataio.opening.read_chunks``: source rows go out in chunks of the asked size with their
problems, the schema's preparation runs on each chunk's good rows only, and the source is
closed however the reading ends."""

from __future__ import annotations

from typing import Any

import pytest

from justicework.dataio.opening import read_chunks
from justicework.dataio.readers import Source, SourceRow
from justicework.dataio.schema import ParsedRow, RowProblem


class Mapper:
    """Rows whose "name" is empty are problems; others parse."""

    def apply(self, row: SourceRow) -> tuple[ParsedRow | None, list[RowProblem]]:
        if not row.values["name"]:
            return None, [RowProblem(row.number, "Name", "required")]
        return ParsedRow(row.number, f"k{row.number}", dict(row.values)), []


class Closing:
    def __init__(self, names: list[str]) -> None:
        self.names = names
        self.closed = False

    def __iter__(self) -> Closing:
        self._rows = iter(enumerate(self.names, start=2))
        return self

    def __next__(self) -> SourceRow:
        number, name = next(self._rows)
        return SourceRow(number, {"name": name})

    def close(self) -> None:
        self.closed = True


def source_of(names: list[str]) -> tuple[Source, Closing]:
    rows = Closing(names)
    return Source(columns=["name"], rows=iter(rows)), rows


def summary(chunks: Any) -> list[tuple[list[int], list[int], int]]:
    return [([r.number for r in good], [p.row for p in bad], n) for good, bad, n in chunks]


def test_rows_go_out_in_chunks_with_their_problems():
    source, _rows = source_of(["a", "", "c", "d", "", "f", "g"])
    assert summary(read_chunks(source, Mapper(), 3)) == [
        ([2, 4], [3], 3),
        ([5, 7], [6], 3),
        ([8], [], 1),
    ]


def test_an_exact_multiple_of_the_size_gives_no_empty_last_chunk():
    source, _rows = source_of(["a", "b", "c", "d"])
    assert [n for _good, _bad, n in read_chunks(source, Mapper(), 2)] == [2, 2]


def test_an_empty_source_gives_no_chunk_and_is_closed():
    source, rows = source_of([])
    assert list(read_chunks(source, Mapper(), 10)) == []
    assert rows.closed


def test_preparation_runs_on_each_chunks_good_rows_before_it_is_yielded():
    prepared: list[list[int]] = []

    def prepare(rows: list[ParsedRow]) -> None:
        prepared.append([r.number for r in rows])
        for row in rows:
            row.prepared = row.values["name"].upper()

    source, _rows = source_of(["a", "", "c"])
    chunks = list(read_chunks(source, Mapper(), 2, prepare))
    assert prepared == [[2], [4]]
    assert [r.prepared for good, _bad, _n in chunks for r in good] == ["A", "C"]


def test_the_source_is_closed_when_the_reader_stops_early():
    source, rows = source_of(["a", "b", "c", "d"])
    chunks = read_chunks(source, Mapper(), 1)
    next(chunks)
    assert not rows.closed
    chunks.close()
    assert rows.closed


def test_the_source_is_closed_when_a_row_fails():
    class Failing(Mapper):
        def apply(self, row: SourceRow) -> tuple[ParsedRow | None, list[RowProblem]]:
            if row.number == 3:
                raise ValueError("bad row")
            return super().apply(row)

    source, rows = source_of(["a", "b", "c"])
    with pytest.raises(ValueError, match="bad row"):
        list(read_chunks(source, Failing(), 10))
    assert rows.closed
