"""The import engine: stream a file through a mapping, check every row, write in chunks.

One loop (:func:`_loop`) runs every pass, in one of three modes (:class:`Mode`):

* **check** — read the whole file and report every bad row (row, column, reason); write
  nothing (the dry run, :func:`validate`).
* **all or nothing** — one transaction around all chunks. Without a clean dry run the file is
  read once: chunks are checked and written until the first bad row, the rest is only checked,
  and the transaction is rolled back if anything was bad.
* **resumable** — the whole file is checked first (unless the caller has a clean dry run of the
  same file and mapping), then one transaction per chunk: after a crash the complete chunks
  stay, and running the same import again continues where it stopped.

The permission is asked once per run (:func:`authorise`, a :class:`Permit`), and inside the run
the domain's own checks are asked once too (``policy.decided_once``), not once per chunk.

A row's stable key (a hash of the mapping's namespace and the key columns) is stored in
:class:`~justicework.dataio.models.ImportedRow` in the same transaction as the row's records,
under a unique constraint, so re-running an import never duplicates a row.

Where ``fork`` is available the file is read, parsed and prepared (``Schema.prepare_rows``) in
a forked process one chunk ahead of the writer (``dataio.ahead``: it dies with its parent);
checks that query, writes and audit entries stay in the caller's process and transaction, in
order. Opening the file is ``dataio.opening``, the checks ``dataio.checks``, the writes
``dataio.writing``.
"""

from __future__ import annotations

import enum
import gc
from collections.abc import Callable, Generator, Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from justicework.core import policy
from justicework.core.actors import Actor
from justicework.core.models import Organisation, User
from justicework.dataio.ahead import Chunk, ChunksAhead, fork_context
from justicework.dataio.ahead import PreparingProcessFailed as PreparingProcessFailed
from justicework.dataio.checks import Checker
from justicework.dataio.mapping import MappingSpec, RowMapper
from justicework.dataio.models import ImportRun
from justicework.dataio.opening import close_source, open_run, read_chunks
from justicework.dataio.outcome import Outcome as Outcome
from justicework.dataio.outcome import ProblemSink as ProblemSink
from justicework.dataio.outcome import ProgressSink as ProgressSink
from justicework.dataio.outcome import emit
from justicework.dataio.readers import FileProblem, Source
from justicework.dataio.schema import ParsedRow, RowProblem, Schema
from justicework.dataio.writing import SQLITE_IMPORT_CACHE_KIB as SQLITE_IMPORT_CACHE_KIB
from justicework.dataio.writing import import_page_cache, keys_checked_ahead, write_chunk

CHUNK_SIZE = 2000


class Mode(enum.Enum):
    CHECK = "check"
    ALL_OR_NOTHING = "atomic"
    RESUMABLE = "resumable"


@dataclass(frozen=True)
class Permit:
    """A run's permission, asked once (:func:`authorise`): ``actor`` may import rows of
    ``kind`` into the organisation ``organisation_id``."""

    actor: Actor
    organisation_id: int
    kind: str


def authorise(
    actor: User, organisation: Organisation, schema: Schema, run: ImportRun | None = None
) -> Permit:
    """Ask once whether ``actor`` may import ``schema``'s rows into ``organisation``: "commit"
    on ``run``, or "create" on a run not yet recorded. The import-run rule (``dataio.rules``)
    wants the IMPORT capability and the schema's ``import_action``."""
    target = run if run is not None else ImportRun(organisation=organisation, kind=schema.kind)
    policy.require(actor, "commit" if run is not None else "create", target)
    return Permit(actor, organisation.pk, schema.kind)


#: Read, parse and prepare the chunks in a second process (forked: the file is already open,
#: the schema configured) while the caller writes them (``ahead.ChunksAhead``). A thread does
#: not help: the writer releases the GIL at every database round trip and waits to get it back.
#: False, or no ``fork`` on the platform: everything in turn, in-process.
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
        return read_chunks(source, mapper, size, prepare)
    # Objects from before the fork out of this process's collections while the child lives:
    # a full collection writes to every tracked object, and each page this process writes to
    # stays behind as a private copy in the child.
    gc.freeze()
    try:
        ahead = ChunksAhead(lambda: read_chunks(source, mapper, size, prepare), context)
    except BaseException:
        gc.unfreeze()
        raise
    close_source(source)  # this process's copy: the child reads from its own
    return ahead


@dataclass
class _Job:
    """One pass over the file: what to read, in which mode, and where to report."""

    schema: Schema
    organisation: Organisation
    path: Path
    file_format: str
    spec: MappingSpec
    mode: Mode
    chunk_size: int
    actor: Actor = None
    run: ImportRun | None = None
    #: The rows were checked already (a clean dry run, or the check pass of a resumable
    #: import): a bad row now means the file or a vocabulary changed, and stops the pass.
    checked: bool = False
    total: int = 0
    keep: int = 1000
    on_problem: ProblemSink | None = None
    on_progress: ProgressSink | None = None
    on_chunk: Callable[[Outcome], None] | None = None
    #: Ask the schema for its notes on rows (``flag_chunk``): the dry run, not a commit's check.
    flag: bool = True


class CommitAborted(Exception):
    """A row turned out bad during the commit pass (the file changed, or a vocabulary did)."""

    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__("; ".join(str(p) for p in problems[:5]))
        self.problems = problems


class _Rollback(Exception):
    """Raised inside the all-or-nothing transaction when a bad row was found."""


def _loop(job: _Job) -> Outcome:
    """The one loop of every mode: open, read chunk by chunk, check and/or write, report."""
    outcome = Outcome()
    opened = open_run(job.schema, job.organisation, job.path, job.file_format, job.spec, outcome)
    if opened is None:
        return outcome
    source, mapper = opened
    chunks: Generator[Chunk] | ChunksAhead | None = None
    whole: AbstractContextManager[object] = (
        transaction.atomic() if job.mode is Mode.ALL_OR_NOTHING else nullcontext()
    )
    try:
        with whole:
            if job.mode is Mode.CHECK:
                chunks = _chunk_stream(source, mapper, job.chunk_size)
            else:
                job.schema.prepare_commit(job.organisation)
                chunks = _chunk_stream(source, mapper, job.chunk_size, job.schema.prepare_rows)
            _each_chunk(job, mapper, chunks, outcome)
    except _Rollback:
        outcome.nothing_written()
    except (CommitAborted, ValidationError, FileProblem) as exc:
        _report(job, outcome, exc)
    finally:
        if chunks is not None:
            chunks.close()
        else:
            close_source(source)
    return outcome


def _each_chunk(job: _Job, mapper: RowMapper, chunks: Iterable[Chunk], outcome: Outcome) -> None:
    writing = job.mode is not Mode.CHECK
    checker = None
    if not job.checked:
        checker = Checker(job.schema, job.organisation, mapper.spec, outcome, job.on_problem,
                          job.keep, count_existing=not writing,
                          flag=job.flag and not writing)  # fmt: skip
    for good, problems, count in keys_checked_ahead(chunks) if writing else chunks:
        if checker is not None:
            valid = checker.check(good, problems, count)
        elif problems:
            raise CommitAborted(problems)
        else:
            valid, outcome.rows, outcome.valid = good, outcome.rows + count, outcome.valid + count
        if writing and outcome.error_count == 0:
            with transaction.atomic() if job.mode is Mode.RESUMABLE else nullcontext():
                write_chunk(job.schema, job.actor, job.organisation, valid, job.run, outcome)
                if job.on_chunk is not None:
                    job.on_chunk(outcome)
        if job.on_progress is not None:
            phase = "commit" if writing else "validate"
            job.on_progress(phase, outcome.rows, job.total)
    if checker is not None and outcome.rows == 0:
        outcome.problem = RowProblem(0, "", _("The file has no data rows."))
    if writing:
        if not outcome.ok:
            raise _Rollback  # only a single-pass all-or-nothing import gets here with problems
        outcome.committed = True


def _report(job: _Job, outcome: Outcome, exc: Exception) -> None:
    """A pass stopped by a bad row, a refused write or an unreadable file: report it; an
    all-or-nothing import has written nothing."""
    if job.mode is Mode.ALL_OR_NOTHING:
        outcome.nothing_written()
    outcome.committed = False
    if isinstance(exc, FileProblem):
        outcome.problem = RowProblem(exc.row, exc.column, exc.reason)
    elif isinstance(exc, CommitAborted):
        for problem in exc.problems:
            emit(outcome, problem, job.on_problem, job.keep)
    elif isinstance(exc, ValidationError):
        for message in exc.messages:
            emit(outcome, RowProblem(0, "", message), job.on_problem, job.keep)


def validate(
    schema: Schema,
    organisation: Organisation,
    path: Path,
    file_format: str,
    spec: MappingSpec,
    *,
    on_problem: ProblemSink | None = None,
    on_progress: ProgressSink | None = None,
    keep: int = 1000,
    chunk_size: int | None = None,
    flag: bool = True,
) -> Outcome:
    """Check every row; write nothing. Problems go to ``on_problem`` as they are found (all of
    them) and the first ``keep`` are kept on the outcome; with ``flag``, the schema's notes
    (likely duplicates) too."""
    job = _Job(schema, organisation, path, file_format, spec, Mode.CHECK,
               chunk_size or CHUNK_SIZE, keep=keep, on_problem=on_problem,
               on_progress=on_progress, flag=flag)  # fmt: skip
    return _loop(job)


@import_page_cache()
def commit(
    schema: Schema,
    actor: Actor,
    organisation: Organisation,
    path: Path,
    file_format: str,
    spec: MappingSpec,
    *,
    resumable: bool = False,
    validated: bool = False,
    run: ImportRun | None = None,
    permit: Permit | None = None,
    on_problem: ProblemSink | None = None,
    on_progress: ProgressSink | None = None,
    on_chunk: Callable[[Outcome], None] | None = None,
    chunk_size: int | None = None,
) -> Outcome:
    """Check (unless ``validated``), then write. Returns the outcome; exceptions from the
    schema (a crash) propagate after the current transaction rolled back. Without a ``permit``
    the permission is asked here (:func:`authorise`). On SQLite the connection's page cache is
    larger while it runs (``writing.import_page_cache``)."""
    with policy.decided_once():
        if permit is None:  # the system (None) needs none: set-up commands, benchmarks
            permit = (
                Permit(None, organisation.pk, schema.kind)
                if actor is None
                else authorise(actor, organisation, schema, run)
            )
        if (permit.actor, permit.organisation_id, permit.kind) != (
            actor, organisation.pk, schema.kind
        ):  # fmt: skip
            raise ValueError("The permit is for another import.")
        mode = Mode.RESUMABLE if resumable else Mode.ALL_OR_NOTHING
        job = _Job(schema, organisation, path, file_format, spec, mode,
                   chunk_size or CHUNK_SIZE, actor=actor, run=run, checked=validated,
                   on_problem=on_problem, on_progress=on_progress, on_chunk=on_chunk)  # fmt: skip
        if resumable and not validated:
            first = validate(schema, organisation, path, file_format, spec,
                             on_problem=on_problem, on_progress=on_progress,
                             chunk_size=job.chunk_size, flag=False)  # fmt: skip
            if not first.ok:
                return first
            job.checked, job.total = True, first.rows
        return _loop(job)
