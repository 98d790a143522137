"""The import engine: stream a file through a mapping, validate every row, then commit in chunks.

``validate`` reads the whole file and reports every bad row (row, column, reason); it writes
nothing. ``commit`` writes only if no row is bad, in chunks of ``CHUNK_SIZE`` rows:

* **atomic** — one transaction around all chunks: everything or nothing. Without a clean dry
  run the file is read once: chunks are checked and written until the first bad row, the rest
  is only checked, and the transaction is rolled back if anything was bad.
* **resumable** — the whole file is checked first (unless the caller has a clean dry run of the
  same file and mapping), then one transaction per chunk: after a crash the complete chunks
  stay, and running the same import again continues where it stopped.

Either way a row's stable key (a hash of the mapping's namespace and the key columns) is stored in
:class:`~justicework.dataio.models.ImportedRow` in the same transaction as the row's records, under
a unique constraint, so re-running an import never duplicates a row.

Where ``fork`` is available the file is read, parsed and prepared (``Schema.prepare_rows``) in
a forked process one chunk ahead of the writer (``dataio.ahead``: it dies with its parent);
checks that query, writes and audit entries stay in the caller's process and transaction, in
order.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from justicework.core import policy
from justicework.core.bulk import deferred_keys_checked_meanwhile, insert_rows, writes
from justicework.dataio.ahead import Chunk, ChunksAhead, fork_context
from justicework.dataio.ahead import PreparingProcessFailed as PreparingProcessFailed
from justicework.dataio.mapping import MappingSpec, RowMapper
from justicework.dataio.models import FileFormat, ImportedRow, ImportRun
from justicework.dataio.readers import FileProblem, Source, read_csv, read_kobo, read_xlsx
from justicework.dataio.schema import ParsedRow, RowProblem, Schema

writes(ImportedRow)  # the row keys of an import (core.bulk.insert_rows)

CHUNK_SIZE = 2000

ProblemSink = Callable[[RowProblem], None]
#: ``progress(phase, done, total)``; total is 0 while unknown. Phases: "validate", "commit".
ProgressSink = Callable[[str, int, int], None]


@dataclass
class Outcome:
    rows: int = 0
    valid: int = 0
    error_count: int = 0
    already_imported: int = 0
    created: int = 0
    skipped: int = 0
    #: A problem with the whole file (encoding, missing columns, damaged XLSX, size).
    problem: RowProblem | None = None
    committed: bool = False
    sample: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.problem is None and self.error_count == 0


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


def _open_checked(path: Path, file_format: str, spec: MappingSpec) -> Source:
    source = open_source(path, file_format, spec)
    if source.fixed_columns:
        missing = spec.missing_columns(source.columns)
        if missing:
            _close(source)
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


def _close(source: Source) -> None:
    close = getattr(source.rows, "close", None)
    if close is not None:
        close()


def _chunks(
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
        _close(source)


#: Read, parse and prepare the chunks in a second process (forked: the file is already open,
#: the schema configured) while the caller writes them (``ahead.ChunksAhead``). A thread does
#: not help: the writer releases the GIL at every database round trip and waits to get it back
#: (measured slower). False, or no ``fork`` on the platform: everything in turn, in-process.
PREPARE_AHEAD = True
#: Where ``_chunk_stream`` gets its fork context (tests replace it).
_fork_context = fork_context


def _chunk_stream(
    source: Source,
    mapper: RowMapper,
    size: int,
    prepare: Callable[[list[ParsedRow]], None] | None = None,
) -> Generator[Chunk] | ChunksAhead:
    """The file's chunks: prepared in a forked process (``PREPARE_AHEAD``), else in turn.
    After the fork this process leaves the source to the child (it never reads it)."""
    context = _fork_context() if PREPARE_AHEAD else None
    if context is None:
        return _chunks(source, mapper, size, prepare)
    # Objects from before the fork out of this process's collections while the child lives:
    # a full collection writes to every tracked object, and each page this process writes to
    # stays behind as a private copy in the child (measured: ≈ 60 MB of the child's memory).
    gc.freeze()
    try:
        ahead = ChunksAhead(lambda: _chunks(source, mapper, size, prepare), context)
    except BaseException:
        gc.unfreeze()
        raise
    _close(source)  # this process's copy: the child reads from its own
    return ahead


def _existing_keys(organisation: Any, kind: str, rows: list[ParsedRow]) -> set[str]:
    if not rows:
        return set()
    return set(
        ImportedRow.objects.filter(
            organisation=organisation, kind=kind, key_hash__in=[r.key_hash for r in rows]
        ).values_list("key_hash", flat=True)
    )


def _emit(outcome: Outcome, problem: RowProblem, sink: ProblemSink | None, keep: int) -> None:
    outcome.error_count += 1
    if len(outcome.sample) < keep:
        outcome.sample.append(problem)
    if sink is not None:
        sink(problem)


class _Checker:
    """Per-chunk checks shared by the dry run and the single-pass commit: row problems, duplicate
    keys within the file (64-bit prefixes of the key hashes), the schema's own checks."""

    def __init__(
        self,
        schema: Schema,
        organisation: Any,
        spec: MappingSpec,
        outcome: Outcome,
        on_problem: ProblemSink | None,
        keep: int,
        count_existing: bool,
    ) -> None:
        self.schema = schema
        self.organisation = organisation
        self.spec = spec
        self.outcome = outcome
        self.on_problem = on_problem
        self.keep = keep
        self.count_existing = count_existing
        self.seen: dict[int, int] = {}

    def check(
        self, good: list[ParsedRow], problems: list[RowProblem], count: int
    ) -> list[ParsedRow]:
        outcome = self.outcome
        outcome.rows += count
        for problem in problems:
            _emit(outcome, problem, self.on_problem, self.keep)
        unique: list[ParsedRow] = []
        for row in good:
            short = int(row.key_hash[:16], 16)
            first = self.seen.get(short)
            if first is not None:
                _emit(
                    outcome,
                    RowProblem(
                        row.number,
                        ", ".join(self.spec.key) or _("(all mapped columns)"),
                        _("Duplicate key: row %(first)s has the same key.") % {"first": first}
                        + (f" ({row.label})" if row.label else ""),
                    ),
                    self.on_problem,
                    self.keep,
                )
                continue
            self.seen[short] = row.number
            unique.append(row)
        bad_rows: set[int] = set()
        for problem in self.schema.check_chunk(self.organisation, unique):
            bad_rows.add(problem.row)
            _emit(outcome, problem, self.on_problem, self.keep)
        valid = [r for r in unique if r.number not in bad_rows]
        outcome.valid += len(valid)
        if self.count_existing:
            outcome.already_imported += len(
                _existing_keys(self.organisation, self.schema.kind, valid)
            )
        return valid


def _open_run(
    schema: Schema,
    organisation: Any,
    path: Path,
    file_format: str,
    spec: MappingSpec,
    outcome: Outcome,
) -> tuple[Source, RowMapper] | None:
    """The set-up every mode (check, all-or-nothing, resumable) shares: open the file with the
    spec it needs, configure and prepare the schema, build the row mapper. ``None``, with
    ``outcome.problem`` set, when the file cannot be opened."""
    spec = effective_spec(spec, file_format)
    try:
        source = _open_checked(path, file_format, spec)
    except FileProblem as exc:
        outcome.problem = RowProblem(exc.row, exc.column, exc.reason)
        return None
    schema.configure(spec.namespace, spec.date_formats)
    schema.prepare(organisation)
    return source, RowMapper(spec, schema)


def validate(
    schema: Schema,
    organisation: Any,
    path: Path,
    file_format: str,
    spec: MappingSpec,
    *,
    on_problem: ProblemSink | None = None,
    on_progress: ProgressSink | None = None,
    keep: int = 1000,
    chunk_size: int | None = None,
) -> Outcome:
    """Check every row; write nothing. Problems go to ``on_problem`` as they are found (all of
    them) and the first ``keep`` are kept on the outcome."""
    outcome = Outcome()
    chunk_size = chunk_size or CHUNK_SIZE
    opened = _open_run(schema, organisation, path, file_format, spec, outcome)
    if opened is None:
        return outcome
    source, mapper = opened
    spec = mapper.spec
    checker = _Checker(schema, organisation, spec, outcome, on_problem, keep, count_existing=True)
    chunks = _chunk_stream(source, mapper, chunk_size)
    try:
        for good, problems, count in chunks:
            checker.check(good, problems, count)
            if on_progress is not None:
                on_progress("validate", outcome.rows, 0)
    except FileProblem as exc:
        outcome.problem = RowProblem(exc.row, exc.column, exc.reason)
    finally:
        chunks.close()
    if outcome.rows == 0 and outcome.problem is None:
        outcome.problem = RowProblem(0, "", _("The file has no data rows."))
    return outcome


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No automatic cyclic garbage collection while a chunk is written, one young collection
    after. A chunk allocates tens of thousands of objects (model instances, audit entries,
    parameters) freed by reference counting; the automatic collector runs every 700
    allocations and its full passes walk the whole heap: measured ≈ 17 % of a 20,000-row
    import's time. Memory stays bounded: garbage lives at most one chunk."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
            gc.collect(0)


def _write_chunk(
    schema: Schema, actor: Any, organisation: Any, good: list[ParsedRow], run: Any, outcome: Outcome
) -> None:
    """Write the rows whose keys are new; count the others as skipped. Caller's transaction."""
    with _collector_paused():
        _write_chunk_now(schema, actor, organisation, good, run, outcome)


def _write_chunk_now(
    schema: Schema, actor: Any, organisation: Any, good: list[ParsedRow], run: Any, outcome: Outcome
) -> None:
    existing = _existing_keys(organisation, schema.kind, good)
    fresh = [r for r in good if r.key_hash not in existing]
    if fresh:
        ids = schema.commit_chunk(actor, organisation, fresh)
        if len(ids) != len(fresh):
            raise RuntimeError(
                f"{type(schema).__name__}.commit_chunk returned {len(ids)} ids "
                f"for {len(fresh)} rows"
            )
        run_id = run.pk if run is not None else None
        insert_rows(
            ImportedRow,
            ["organisation_id", "kind", "key_hash", "object_id", "run_id"],
            [
                (organisation.pk, schema.kind, row.key_hash, str(object_id), run_id)
                for row, object_id in zip(fresh, ids, strict=True)
            ],
        )
    outcome.created += len(fresh)
    outcome.skipped += len(existing)
    outcome.already_imported += len(existing)


class _Rollback(Exception):
    """Raised inside the single-pass transaction when a bad row was found."""


def _commit_single_pass(
    schema: Schema,
    actor: Any,
    organisation: Any,
    path: Path,
    file_format: str,
    spec: MappingSpec,
    *,
    run: Any,
    on_problem: ProblemSink | None,
    on_progress: ProgressSink | None,
    chunk_size: int,
) -> Outcome:
    """All-or-nothing commit in one read of the file: check each chunk and write it while no
    problem has been seen; after the first problem keep checking (to report every bad row) and
    roll everything back at the end."""
    checked = Outcome()
    opened = _open_run(schema, organisation, path, file_format, spec, checked)
    if opened is None:
        return checked
    source, mapper = opened
    spec = mapper.spec
    checker = _Checker(schema, organisation, spec, checked, on_problem, 1000, count_existing=False)
    written = Outcome()
    chunks: Generator[Chunk] | ChunksAhead | None = None
    try:
        with transaction.atomic():
            chunks = _commit_stream(schema, organisation, source, mapper, chunk_size)
            for good, problems, count in _keys_checked_ahead(chunks):
                valid = checker.check(good, problems, count)
                if checked.error_count == 0:
                    _write_chunk(schema, actor, organisation, valid, run, written)
                if on_progress is not None:
                    on_progress("commit", checked.rows, 0)
            if checked.rows == 0:
                checked.problem = RowProblem(0, "", _("The file has no data rows."))
            if not checked.ok:
                raise _Rollback
    except _Rollback:
        return checked
    except FileProblem as exc:
        checked.problem = RowProblem(exc.row, exc.column, exc.reason)
        return checked
    except ValidationError as exc:
        for message in exc.messages:
            _emit(checked, RowProblem(0, "", message), on_problem, 1000)
        return checked
    finally:
        if chunks is not None:
            chunks.close()
        else:
            _close(source)
    checked.created = written.created
    checked.skipped = written.skipped
    checked.already_imported = written.already_imported
    checked.committed = True
    return checked


#: SQLite page cache of the connection during an import, in KiB (SQLite's default is 2 MB).
#: The blind-index and audit tables are indexed on random values (HMACs, hashes): once their
#: indexes outgrow the cache, every insert reads pages back. 100,000 rows: ≈ 10-25 % faster.
SQLITE_IMPORT_CACHE_KIB = 32 * 1024


@contextmanager
def _import_page_cache() -> Iterator[None]:
    """A larger SQLite page cache for the import's connection, restored after (other
    databases: nothing)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = -{int(SQLITE_IMPORT_CACHE_KIB)}")
    try:
        yield
    finally:
        if connection.connection is not None:  # still open: give the memory back
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {before}")


def _commit_stream(
    schema: Schema, organisation: Any, source: Source, mapper: RowMapper, size: int
) -> Generator[Chunk] | ChunksAhead:
    """The chunks to commit, prepared (``prepare_rows``) after ``schema.prepare_commit``."""
    schema.prepare_commit(organisation)
    return _chunk_stream(source, mapper, size, schema.prepare_rows)


def _keys_checked_ahead(chunks: Iterable[Chunk]) -> Iterator[Chunk]:
    """``chunks``, each one received (and unpickled) while PostgreSQL checks the foreign keys
    of the rows written so far (``core.bulk.deferred_keys_checked_meanwhile``): the commit at
    the end has less left to check."""
    iterator = iter(chunks)
    while True:
        with deferred_keys_checked_meanwhile():
            chunk = next(iterator, None)
        if chunk is None:
            return
        yield chunk


class CommitAborted(Exception):
    """A row turned out bad during the commit pass (the file changed, or a vocabulary did)."""

    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__("; ".join(str(p) for p in problems[:5]))
        self.problems = problems


@_import_page_cache()
def commit(
    schema: Schema,
    actor: Any,
    organisation: Any,
    path: Path,
    file_format: str,
    spec: MappingSpec,
    *,
    resumable: bool = False,
    validated: bool = False,
    run: Any = None,
    on_problem: ProblemSink | None = None,
    on_progress: ProgressSink | None = None,
    on_chunk: Callable[[Outcome], None] | None = None,
    chunk_size: int | None = None,
) -> Outcome:
    """Validate (unless ``validated``), then write. Returns the outcome; exceptions from the
    schema (a crash) propagate after the current transaction rolled back. ``actor`` must hold
    the IMPORT capability in ``organisation`` (``None`` is the system: set-up and benchmarks).
    On SQLite the connection's page cache is larger while it runs (``_import_page_cache``)."""
    if actor is not None:
        policy.require(actor, "create", ImportRun(organisation=organisation, kind=schema.kind))
        if not schema.can_import(actor, organisation):
            raise PermissionDenied(_("Your role does not allow creating these records."))
    total = 0
    chunk_size = chunk_size or CHUNK_SIZE
    if not resumable and not validated:
        return _commit_single_pass(
            schema,
            actor,
            organisation,
            path,
            file_format,
            spec,
            run=run,
            on_problem=on_problem,
            on_progress=on_progress,
            chunk_size=chunk_size,
        )
    if not validated:
        checked = validate(
            schema,
            organisation,
            path,
            file_format,
            spec,
            on_problem=on_problem,
            on_progress=on_progress,
            chunk_size=chunk_size,
        )
        if not checked.ok:
            return checked
        total = checked.rows
    outcome = Outcome()
    opened = _open_run(schema, organisation, path, file_format, spec, outcome)
    if opened is None:
        return outcome
    source, mapper = opened
    chunks: Generator[Chunk] | ChunksAhead | None = None

    def run_all() -> None:
        nonlocal chunks
        chunks = _commit_stream(schema, organisation, source, mapper, chunk_size)
        for good, problems, count in _keys_checked_ahead(chunks):
            if problems:
                raise CommitAborted(problems)
            outcome.rows += count
            if resumable:
                with transaction.atomic():
                    _write_chunk(schema, actor, organisation, good, run, outcome)
                    if on_chunk is not None:
                        on_chunk(outcome)
            else:
                _write_chunk(schema, actor, organisation, good, run, outcome)
            if on_progress is not None:
                on_progress("commit", outcome.rows, total)

    try:
        if resumable:
            run_all()
        else:
            with transaction.atomic():
                run_all()
                if on_chunk is not None:
                    on_chunk(outcome)
    except ValidationError as exc:
        if not resumable:
            outcome.created = 0
        for message in exc.messages:
            _emit(outcome, RowProblem(0, "", message), on_problem, 1000)
        return outcome
    except CommitAborted as exc:
        if not resumable:
            outcome.created = 0
        for problem in exc.problems:
            _emit(outcome, problem, on_problem, 1000)
        return outcome
    except FileProblem as exc:
        if not resumable:
            outcome.created = 0
        outcome.problem = RowProblem(exc.row, exc.column, exc.reason)
        return outcome
    finally:
        if chunks is not None:
            chunks.close()
        else:
            _close(source)
    outcome.committed = True
    outcome.valid = outcome.rows
    return outcome
