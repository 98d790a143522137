"""The import run's steps: the dry run, the commit (all or nothing, or resumable), a file imported
in place (the CLI), and marking failed the runs whose process ended. Each is an action (checks
the policy, audits); the background task (``dataio.tasks``) and ``dataio.actions`` call them.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.audit.chain import record
from justicework.core import policy
from justicework.core.models import Organisation, User
from justicework.dataio import engine, liveness, namespaces, readers, reimport
from justicework.dataio import schema as schemas
from justicework.dataio.mapping import MappingError, MappingSpec
from justicework.dataio.mapping_checks import check_mapping, column_problems
from justicework.dataio.models import FileFormat, ImportedRow, ImportRun, Mapping, RowError
from justicework.dataio.profile import profile_file
from justicework.dataio.schema import RowProblem
from justicework.dataio.storage import file_sha256, upload_dir

#: Row errors stored per run (all are counted; the CLI prints all of them).
MAX_STORED_ERRORS = 10_000


def _require_import(actor: User, organisation: Organisation, kind: str) -> schemas.Schema:
    """May ``actor`` import rows of ``kind`` into ``organisation`` (a run not yet recorded)?"""
    schema = schemas.get(kind)
    engine.authorise(actor, organisation, schema)
    return schema


def parse_spec(
    kind: str, data: Any, *, columns: Collection[str] | None = None, kobo: bool = False
) -> MappingSpec:
    """Validate mapping JSON for ``kind`` (every check of ``dataio.mapping_checks``, against
    the file's ``columns`` when given); ``ValidationError`` listing every problem."""
    try:
        return check_mapping(data, schemas.get(kind), columns=columns, kobo=kobo)
    except MappingError as exc:
        raise ValidationError({"spec": exc.problems}) from exc


def _save_problems(run: ImportRun, problems: list[RowProblem]) -> None:
    RowError.objects.bulk_create(
        [RowError(run=run, row=p.row, column=p.column[:200], reason=p.reason) for p in problems],
        batch_size=1000,
    )


class _ErrorBuffer:
    """Collects problems for storage, flushing every 1,000 and stopping at the cap."""

    def __init__(self, run: ImportRun) -> None:
        self.run = run
        self.pending: list[RowProblem] = []
        self.stored = 0

    def __call__(self, problem: RowProblem) -> None:
        if self.stored + len(self.pending) >= MAX_STORED_ERRORS:
            return
        self.pending.append(problem)
        if len(self.pending) >= 1000:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            _save_problems(self.run, self.pending)
            self.stored += len(self.pending)
            self.pending = []


def spec_of(run: ImportRun) -> MappingSpec:
    if run.mapping is None:
        raise ValidationError({"mapping": _("Choose a mapping first.")})
    return parse_spec(run.kind, run.mapping.spec)


def file_intact(run: ImportRun) -> bool:
    if not run.stored_path:  # removed (committed, or purged: ``retention``)
        return False
    path = Path(run.stored_path)
    try:
        return path.is_file() and file_sha256(path) == run.sha256
    except readers.FileProblem:  # a sealed upload that no longer authenticates
        return False


def _unknown_kobo_paths(run: ImportRun, spec: MappingSpec) -> RowProblem | None:
    """Kobo / ODK: the paths the mapping reads that no submission has (each with the nearest
    ones), as one problem with the file; ``None`` when every path exists (or not Kobo). A CSV
    or XLSX header is checked when the file is opened (``dataio.opening``)."""
    if run.file_format != FileFormat.KOBO:
        return None
    try:
        columns = profile_file(Path(run.stored_path), run.file_format, spec).columns
    except readers.FileProblem:
        return None  # the dry run reports it, with its row
    problems = column_problems(spec, columns, kobo=True)
    if not problems:
        return None
    missing = ", ".join(spec.missing_columns(columns))
    return RowProblem(0, missing, " ".join(problems))


def dry_run(
    actor: User, run: ImportRun, on_progress: engine.ProgressSink | None = None
) -> ImportRun:
    """Check every row of the run's file; store the report on the run. Writes no records and
    no audit entry: a dry run changes nothing but its own report."""
    policy.require(actor, "edit", run)
    if run.status in {ImportRun.Status.COMMITTING, ImportRun.Status.COMMITTED}:
        raise ValidationError({"status": _("This import has already been committed.")})
    spec = spec_of(run)
    schema = schemas.get(run.kind)
    namespaces.require_same_key(run.organisation, run.kind, spec, run.file_format, run.pk)
    RowError.objects.filter(run=run).delete()
    run.move_to(ImportRun.Status.VALIDATING, owner=liveness.current_owner())
    buffer = _ErrorBuffer(run)
    if not file_intact(run):
        outcome = engine.Outcome(
            problem=RowProblem(0, "", _("The uploaded file is missing or has changed."))
        )
    elif (paths := _unknown_kobo_paths(run, spec)) is not None:
        outcome = engine.Outcome(problem=paths)
    else:
        outcome = engine.validate(
            schema,
            run.organisation,
            Path(run.stored_path),
            run.file_format,
            spec,
            on_problem=buffer,
            on_progress=on_progress,
        )
    if outcome.problem is not None:
        buffer(outcome.problem)
    buffer.flush()
    schema.keep_flags(run, outcome.flags)
    reimport.keep_changes(run, outcome.changes)
    run.move_to(
        ImportRun.Status.VALID if outcome.ok else ImportRun.Status.INVALID,
        total_rows=outcome.rows,
        error_count=outcome.error_count + (1 if outcome.problem else 0),
        problem=outcome.problem.reason if outcome.problem else "",
        skipped_rows=outcome.already_imported,
        changed_rows=outcome.changed,
        validated_spec=spec.to_dict() if outcome.ok else None,
        namespace=spec.namespace,
        key_columns=namespaces.key_columns(spec, run.file_format),
        finished_at=timezone.now(),
    )
    return run


def commit_run(
    actor: User, run: ImportRun, on_progress: engine.ProgressSink | None = None
) -> ImportRun:
    """Write the run's rows (all or nothing, or resumable by chunks). Re-running a committed or
    interrupted run creates no duplicates. Audited as ``dataio.run.committed``. The permission
    is asked once for the whole run (``engine.authorise``, ``policy.decided_once``)."""
    with policy.decided_once():
        schema = schemas.get(run.kind)
        permit = engine.authorise(actor, run.organisation, schema, run)
        return _commit(actor, run, schema, permit, on_progress)


def _start_commit(run: ImportRun, spec: MappingSpec) -> None:
    """Refuse a key other than the namespace's (``dataio.namespaces``), then mark the run
    committing with the key it uses."""
    namespaces.require_same_key(run.organisation, run.kind, spec, run.file_format, run.pk)
    key = namespaces.key_columns(spec, run.file_format)
    run.move_to(ImportRun.Status.COMMITTING, owner=liveness.current_owner(), processed_rows=0,
                namespace=spec.namespace, key_columns=key)  # fmt: skip


def _commit(
    actor: User,
    run: ImportRun,
    schema: schemas.Schema,
    permit: engine.Permit,
    on_progress: engine.ProgressSink | None,
) -> ImportRun:
    spec = spec_of(run)
    schema.prepare_run(actor, run)  # may refuse the commit before anything is written
    validated = (
        run.status == ImportRun.Status.VALID
        and run.validated_spec == spec.to_dict()
        and file_intact(run)
    )
    _start_commit(run, spec)
    buffer = _ErrorBuffer(run)
    resumable = run.mode == ImportRun.Mode.RESUMABLE
    # Rows an earlier attempt of this run committed (a resumed run): this attempt skips them.
    earlier = _created_by(run)

    def on_chunk(outcome: engine.Outcome) -> None:
        if resumable:
            ImportRun.objects.filter(pk=run.pk).update(
                processed_rows=outcome.rows, created_rows=earlier + outcome.created
            )

    try:
        outcome = engine.commit(
            schema,
            actor,
            run.organisation,
            Path(run.stored_path),
            run.file_format,
            spec,
            resumable=resumable,
            validated=validated,
            run=run,
            permit=permit,
            on_problem=buffer,
            on_progress=on_progress,
            on_chunk=on_chunk,
        )
    except BaseException:
        run.move_to(
            ImportRun.Status.FAILED,
            problem=_("The import stopped on an internal error; run it again to resume."),
            created_rows=_created_by(run),
            finished_at=timezone.now(),
        )
        raise
    if outcome.problem is not None:
        buffer(outcome.problem)
    buffer.flush()
    _settle(actor, run, outcome, kept=outcome.committed or resumable, earlier=earlier)
    if outcome.committed and Path(run.stored_path).parent == upload_dir():
        Path(run.stored_path).unlink(missing_ok=True)  # uploads hold identities (sealed)
        ImportRun.objects.filter(pk=run.pk).update(stored_path="")  # nothing left to purge
        run.stored_path = ""
    return run


@transaction.atomic
def _settle(
    actor: User, run: ImportRun, outcome: engine.Outcome, *, kept: bool, earlier: int
) -> None:
    """Move the run to committed or invalid with its counts; audit a commit. ``kept``: the
    rows written stay (committed, or resumable), else everything was rolled back."""
    run.refresh_from_db()
    settled: dict[str, Any] = {
        "processed_rows": outcome.rows,
        # Counted from what is committed, whatever the attempts: the rows whose keys this run
        # stored (in the transactions of their records); the others were imported before.
        "created_rows": _created_by(run),
        "skipped_rows": max(outcome.skipped - earlier, 0) if kept else 0,
        "error_count": outcome.error_count + (1 if outcome.problem else 0),
        "problem": outcome.problem.reason if outcome.problem else "",
        "finished_at": timezone.now(),
    }
    if outcome.committed and outcome.rows:
        settled["total_rows"] = outcome.rows
    run.move_to(
        ImportRun.Status.COMMITTED if outcome.committed else ImportRun.Status.INVALID, **settled
    )
    if outcome.committed:
        diff = {"kind": run.kind, "rows": outcome.rows, "created": run.created_rows,
                "skipped": run.skipped_rows, "mode": run.mode, "sha256": run.sha256}  # fmt: skip
        record(actor, "dataio.run.committed", run, diff=diff)


def _created_by(run: ImportRun) -> int:
    """The rows ``run`` has committed, over all its attempts (their keys name the run)."""
    return ImportedRow.objects.filter(run_id=run.pk).count()


def _stopped_message(status: str) -> str:
    if status == ImportRun.Status.VALIDATING:
        return _(
            "The check's process ended before it finished (it was killed or crashed, or the "
            "machine restarted). Nothing was written: check the file again."
        )
    return _(
        "The import's process ended before it finished (it was killed or crashed, or the "
        "machine restarted). Run it again to resume: rows already imported are skipped."
    )


def fail_stale_runs(organisation: Organisation | None = None) -> int:
    """Mark failed every run being checked or committed by a process that has ended (killed,
    crashed, the machine restarted: ``liveness.owner_gone``), with its true count of committed
    rows; such a run can be run again and resumes (row keys). Audited as
    ``dataio.run.stopped`` (by the system). Returns how many runs were marked."""
    running = ImportRun.objects.filter(
        status__in=[ImportRun.Status.VALIDATING, ImportRun.Status.COMMITTING]
    ).exclude(owner="")
    if organisation is not None:
        running = running.filter(organisation=organisation)
    marked = 0
    for run in running.only("pk", "owner", "status", "organisation_id", "kind"):
        if not liveness.owner_gone(run.owner):
            continue
        with transaction.atomic():
            created = _created_by(run)
            was = run.status
            changed = run.move_to(
                ImportRun.Status.FAILED,
                expect={"status": was, "owner": run.owner},
                problem=_stopped_message(was),
                created_rows=created,
                finished_at=timezone.now(),
            )
            if changed:
                record(None, "dataio.run.stopped", run,
                       diff={"was": was, "created": created})  # fmt: skip
                marked += 1
    return marked


def stopped_run(
    actor: User, organisation: Organisation, *, kind: str, path: Path, mapping: Mapping
) -> ImportRun | None:
    """The newest failed run of this file (the same path and content: :func:`import_file`)
    and mapping that ``actor`` may commit, after marking the runs whose process has ended
    (:func:`fail_stale_runs`)."""
    fail_stale_runs(organisation)
    candidates = policy.visible(actor, ImportRun, "commit").filter(
        organisation=organisation,
        kind=kind,
        mapping=mapping,
        status=ImportRun.Status.FAILED,
        stored_path=str(path.resolve()),
        sha256=file_sha256(path),
    )
    return candidates.select_related("organisation", "mapping").first()


def import_file(
    actor: User,
    organisation: Organisation,
    *,
    kind: str,
    path: Path,
    file_format: str,
    mapping: Mapping,
    mode: str = ImportRun.Mode.ATOMIC,
    on_progress: engine.ProgressSink | None = None,
) -> ImportRun:
    """Import a file that is already on this machine (the CLI): a run is recorded for the audit
    trail and the stable keys, the file is read in place and left where it is. The import
    permission is asked once, before the run is recorded."""
    with policy.decided_once():
        schema = schemas.get(kind)
        permit = engine.authorise(actor, organisation, schema)
        policy.require(actor, "use", mapping)
        spec = parse_spec(kind, mapping.spec)
        namespaces.require_same_key(organisation, kind, spec, file_format)
        run = _record_file_run(actor, organisation, kind=kind, path=path,
                               file_format=file_format, mapping=mapping, mode=mode)  # fmt: skip
        return _commit(actor, run, schema, permit, on_progress)


def _record_file_run(
    actor: User,
    organisation: Organisation,
    *,
    kind: str,
    path: Path,
    file_format: str,
    mapping: Mapping,
    mode: str,
) -> ImportRun:
    if mapping.organisation_id != organisation.pk or mapping.kind != kind:
        raise ValidationError({"mapping": _("This mapping belongs to another import.")})
    size = readers.check_size(path)
    with transaction.atomic():
        run = ImportRun.objects.create(
            organisation=organisation,
            kind=kind,
            mapping=mapping,
            file_format=file_format,
            filename=path.name[:255],
            stored_path=str(path.resolve()),
            sha256=file_sha256(path),
            size=size,
            mode=mode,
            created_by=actor,
        )
        # Running from the start: a kill before commit_run leaves a run to resume.
        run.move_to(ImportRun.Status.COMMITTING, owner=liveness.current_owner())
        record(
            actor,
            "dataio.run.started",
            run,
            diff={"kind": kind, "format": file_format, "size": size, "sha256": run.sha256},
        )
    return run
