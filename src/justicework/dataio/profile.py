"""What the mapping builder shows of an uploaded file: its columns (Kobo: every field path of
the submissions), a few sample values of each, and the distinct values of each column (for
recoding vocabulary fields), read from the first rows only (a Kobo file is read whole: it is
parsed whole anyway, and a path answered only in a late submission is still a path)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from justicework.dataio.mapping import MappingSpec
from justicework.dataio.models import FileFormat
from justicework.dataio.opening import close_source, open_source
from justicework.dataio.readers import Source, SourceRow

#: Rows of a CSV or XLSX file read for samples and distinct values.
PROFILE_ROWS = 5000
#: Sample values shown per column.
SAMPLES = 5
#: Distinct values kept per column (the builder offers to recode at most these).
DISTINCT = 50


@dataclass
class FileProfile:
    columns: list[str]
    samples: dict[str, list[str]] = field(default_factory=dict)
    #: Distinct non-empty values per column, in order of first appearance, at most ``DISTINCT``.
    distinct: dict[str, list[str]] = field(default_factory=dict)
    #: Columns with more distinct values than were kept.
    more: set[str] = field(default_factory=set)
    rows_read: int = 0
    #: Whether every row was read (Kobo, or a file shorter than ``PROFILE_ROWS``).
    complete: bool = True
    #: The columns are Kobo / ODK field paths.
    kobo: bool = False

    def without_values(self) -> FileProfile:
        """The columns only: no cell value of the file (see ``views_builder``)."""
        return FileProfile(list(self.columns), rows_read=self.rows_read,
                           complete=self.complete, kobo=self.kobo)  # fmt: skip

    def add(self, row: SourceRow) -> None:
        for column, value in row.values.items():
            value = value.strip()
            if column not in self.distinct:
                self.distinct[column] = []
                if column not in self.columns:
                    self.columns.append(column)
            if not value:
                continue
            seen = self.distinct[column]
            if value in seen:
                continue
            if len(seen) >= DISTINCT:
                self.more.add(column)
                continue
            seen.append(value)
            if len(seen) <= SAMPLES:
                self.samples.setdefault(column, []).append(value)


def profile_file(path: Path, file_format: str, spec: MappingSpec) -> FileProfile:
    """The file's columns and values, read with ``spec``'s file options (encoding, delimiter,
    sheet, repeat). ``FileProblem`` if the file cannot be read."""
    source = open_source(path, file_format, spec)
    kobo = file_format == FileFormat.KOBO
    profile = FileProfile(columns=list(source.columns), kobo=kobo)
    try:
        for row in _rows(source, None if kobo else PROFILE_ROWS):
            profile.rows_read += 1
            profile.add(row)
        if not kobo and profile.rows_read >= PROFILE_ROWS:
            profile.complete = False
    finally:
        close_source(source)
    if kobo:
        profile.columns = sorted(set(profile.columns) | source.seen_columns)
    return profile


def _rows(source: Source, limit: int | None) -> Iterator[SourceRow]:
    for count, row in enumerate(source.rows, start=1):
        yield row
        if limit is not None and count >= limit:
            return
