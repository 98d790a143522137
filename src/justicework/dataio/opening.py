"""Opening an import's file: the reader for its format, the mapping's columns checked, the
schema configured, and the rows read, parsed and prepared in chunks (``read_chunks``; the
engine may run it in a forked process, ``dataio.ahead``)."""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import replace
from pathlib import Path

from django.utils.translation import gettext as _

from justicework.core.models import Organisation
from justicework.dataio.ahead import Chunk
from justicework.dataio.mapping import MappingSpec, RowMapper
from justicework.dataio.models import FileFormat
from justicework.dataio.outcome import Outcome
from justicework.dataio.readers import FileProblem, Source, read_csv, read_kobo, read_xlsx
from justicework.dataio.schema import ParsedRow, RowProblem, Schema


def open_source(path: Path, file_format: str, spec: MappingSpec) -> Source:
    if file_format == FileFormat.CSV:
        return read_csv(path, encoding=spec.encoding, delimiter=spec.delimiter)
    if file_format == FileFormat.XLSX:
        return read_xlsx(path, sheet=spec.sheet)
    if file_format == FileFormat.KOBO:
        return read_kobo(path, repeat=spec.repeat, encoding=spec.encoding)
    raise FileProblem(_("Unknown file format %(f)r.") % {"f": file_format})


def effective_spec(spec: MappingSpec, file_format: str) -> MappingSpec:
    """Kobo/ODK submissions are keyed by their ``_uuid`` unless the mapping names a key."""
    if file_format == FileFormat.KOBO and not spec.key:
        return replace(spec, key=("_uuid",))
    return spec


def open_checked(path: Path, file_format: str, spec: MappingSpec) -> Source:
    """The file's rows; ``FileProblem`` if a column the mapping names is missing."""
    source = open_source(path, file_format, spec)
    if source.fixed_columns:
        missing = spec.missing_columns(source.columns)
        if missing:
            close_source(source)
            raise FileProblem(
                _("The file has no column named %(missing)s (its columns: %(have)s).")
                % {
                    "missing": ", ".join(repr(m) for m in missing),
                    "have": ", ".join(repr(c) for c in source.columns[:30]),
                },
                row=1,
                column=", ".join(missing),
            )
    return source


def close_source(source: Source) -> None:
    close = getattr(source.rows, "close", None)
    if close is not None:
        close()


def open_run(
    schema: Schema,
    organisation: Organisation,
    path: Path,
    file_format: str,
    spec: MappingSpec,
    outcome: Outcome,
) -> tuple[Source, RowMapper] | None:
    """The set-up every mode shares: open the file with the spec it needs, configure and
    prepare the schema, build the row mapper. ``None``, with ``outcome.problem`` set, when the
    file cannot be opened."""
    spec = effective_spec(spec, file_format)
    try:
        source = open_checked(path, file_format, spec)
    except FileProblem as exc:
        outcome.problem = RowProblem(exc.row, exc.column, exc.reason)
        return None
    schema.configure(spec.namespace, spec.date_formats)
    schema.prepare(organisation)
    return source, RowMapper(spec, schema)


def read_chunks(
    source: Source,
    mapper: RowMapper,
    size: int,
    prepare: Callable[[list[ParsedRow]], None] | None = None,
) -> Generator[Chunk]:
    """Yield (good rows, problems, rows read) per chunk of ``size`` source rows; ``prepare``
    (the schema's ``prepare_rows``) runs on each chunk's good rows before it is yielded."""
    good: list[ParsedRow] = []
    problems: list[RowProblem] = []
    count = 0
    try:
        for row in source.rows:
            parsed, row_problems = mapper.apply(row)
            count += 1
            if parsed is not None:
                good.append(parsed)
            else:
                problems.extend(row_problems)
            if count == size:
                if prepare is not None:
                    prepare(good)
                yield good, problems, count
                good, problems, count = [], [], 0
        if count:
            if prepare is not None:
                prepare(good)
            yield good, problems, count
    finally:
        close_source(source)
