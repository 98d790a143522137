"""Every write of the import app: mappings, runs (upload, dry run, commit), exports' audit."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.audit.chain import diff_fields, record
from justicework.core import policy
from justicework.core.models import Organisation
from justicework.dataio import engine, liveness, readers, rules, sealed
from justicework.dataio import schema as schemas
from justicework.dataio.mapping import MappingError, MappingSpec
from justicework.dataio.models import FileFormat, ImportedRow, ImportRun, Mapping, RowError
from justicework.dataio.schema import RowProblem

#: Row errors stored per run (all are counted; the CLI prints all of them).
MAX_STORED_ERRORS = 10_000
EXTENSIONS: dict[str, str] = {
    FileFormat.CSV: ".csv",
    FileFormat.XLSX: ".xlsx",
    FileFormat.KOBO: ".json",
}


def _require_import(actor: Any, organisation: Organisation, kind: str) -> schemas.Schema:
    policy.require(actor, "create", ImportRun(organisation=organisation, kind=kind))
    schema = schemas.get(kind)
    if not schema.can_import(actor, organisation):
        raise PermissionDenied(_("Your role does not allow creating these records."))
    return schema


def parse_spec(kind: str, data: Any) -> MappingSpec:
    """Validate mapping JSON for ``kind``; ``ValidationError`` naming the problem."""
    try:
        return MappingSpec.from_dict(data, schemas.get(kind))
    except MappingError as exc:
        raise ValidationError({"spec": str(exc)}) from exc


@transaction.atomic
def save_mapping(
    actor: Any,
    organisation: Organisation,
    *,
    kind: str,
    name: str,
    file_format: str,
    spec: Any,
) -> Mapping:
    """Create the mapping ``name`` or replace its spec."""
    _require_import(actor, organisation, kind)
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationError({"name": _("A mapping needs a name of 1 to 100 characters.")})
    if file_format not in FileFormat.values:
        raise ValidationError({"file_format": _("Choose CSV, XLSX or Kobo JSON.")})
    clean = parse_spec(kind, spec).to_dict()
    mapping = (
        Mapping.objects.select_for_update()
        .filter(organisation=organisation, kind=kind, name=name)
        .first()
    )
    if mapping is None:
        mapping = Mapping.objects.create(
            organisation=organisation,
            kind=kind,
            name=name,
            file_format=file_format,
            spec=clean,
            created_by=actor,
        )
        record(actor, "dataio.mapping.created", mapping, diff={"name": name, "kind": kind})
        return mapping
    policy.require(actor, "edit", mapping)
    before = {"file_format": mapping.file_format, "spec": mapping.spec}
    mapping.file_format = file_format
    mapping.spec = clean
    mapping.updated_at = timezone.now()
    mapping.save(update_fields=["file_format", "spec", "updated_at"])
    record(
        actor,
        "dataio.mapping.updated",
        mapping,
        diff=diff_fields(before, {"file_format": file_format, "spec": clean}),
    )
    return mapping


@transaction.atomic
def delete_mapping(actor: Any, mapping: Mapping) -> None:
    policy.require(actor, "delete", mapping)
    record(actor, "dataio.mapping.deleted", mapping, diff={"name": mapping.name})
    mapping.delete()


def upload_dir() -> Path:
    path = Path(settings.DATA_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_upload(
    chunks: Iterable[bytes], file_format: str, organisation_id: int
) -> tuple[Path, str, int]:
    """Write an upload to the import directory, sealed under a key of ``organisation_id``
    (``dataio.sealed``: the rows never lie on disk in clear), hashing the content and
    enforcing the size limit while streaming. Returns (path, sha256 of the content, size);
    ``FileProblem`` if it is too large or empty."""
    limit = readers.max_bytes()
    if file_format == FileFormat.KOBO:
        limit = min(limit, readers.max_json_bytes())
    path = upload_dir() / f"{uuid.uuid4().hex}{EXTENSIONS.get(file_format, '.bin')}"
    digest = hashlib.sha256()
    size = 0
    try:
        with path.open("wb") as out:
            sealing = sealed.SealingWriter(out, organisation_id)
            for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise readers.FileProblem(
                        _("The file is larger than the limit of %(limit)s bytes.")
                        % {"limit": f"{limit:,}"}
                    )
                digest.update(chunk)
                sealing.write(chunk)
            sealing.finish()
        if size == 0:
            raise readers.FileProblem(_("The file is empty."))
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path, digest.hexdigest(), size


def start_run(
    actor: Any,
    organisation: Organisation,
    *,
    kind: str,
    file_format: str,
    filename: str,
    chunks: Iterable[bytes],
    mapping: Mapping | None = None,
    mode: str = ImportRun.Mode.ATOMIC,
) -> ImportRun:
    """Store an uploaded file as a new run (:func:`_start_run`), then remove the old uploads
    nobody imported (``retention.purge_uploads``: sealed, but they hold rows)."""
    from justicework.dataio.retention import purge_uploads

    run = _start_run(
        actor,
        organisation,
        kind=kind,
        file_format=file_format,
        filename=filename,
        chunks=chunks,
        mapping=mapping,
        mode=mode,
    )
    purge_uploads()
    return run


@transaction.atomic
def _start_run(
    actor: Any,
    organisation: Organisation,
    *,
    kind: str,
    file_format: str,
    filename: str,
    chunks: Iterable[bytes],
    mapping: Mapping | None = None,
    mode: str = ImportRun.Mode.ATOMIC,
) -> ImportRun:
    """Store an uploaded file as a new run. Raises ``FileProblem`` for an oversized or empty
    file (nothing is kept)."""
    _require_import(actor, organisation, kind)
    if mapping is not None:
        policy.require(actor, "use", mapping)
        if mapping.organisation_id != organisation.pk or mapping.kind != kind:
            raise ValidationError({"mapping": _("This mapping belongs to another import.")})
    if mode not in ImportRun.Mode.values:
        raise ValidationError({"mode": _("Choose all-or-nothing or resumable.")})
    path, sha, size = store_upload(chunks, file_format, organisation.pk)
    run = ImportRun.objects.create(
        organisation=organisation,
        kind=kind,
        mapping=mapping,
        file_format=file_format,
        filename=filename[:255],
        stored_path=str(path),
        sha256=sha,
        size=size,
        mode=mode,
        created_by=actor,
    )
    record(
        actor,
        "dataio.run.uploaded",
        run,
        diff={"kind": kind, "format": file_format, "size": size, "sha256": sha},
    )
    return run


@transaction.atomic
def choose_mapping(actor: Any, run: ImportRun, mapping: Mapping, mode: str) -> ImportRun:
    policy.require(actor, "edit", run)
    policy.require(actor, "use", mapping)
    if mapping.organisation_id != run.organisation_id or mapping.kind != run.kind:
        raise ValidationError({"mapping": _("This mapping belongs to another import.")})
    if run.status in {ImportRun.Status.COMMITTING, ImportRun.Status.COMMITTED}:
        raise ValidationError({"mapping": _("This import has already been committed.")})
    if mode not in ImportRun.Mode.values:
        raise ValidationError({"mode": _("Choose all-or-nothing or resumable.")})
    run.move_to(ImportRun.Status.UPLOADED, mapping=mapping, mode=mode, validated_spec=None)
    return run


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


def _spec_of(run: ImportRun) -> MappingSpec:
    if run.mapping is None:
        raise ValidationError({"mapping": _("Choose a mapping first.")})
    return parse_spec(run.kind, run.mapping.spec)


def _file_intact(run: ImportRun) -> bool:
    if not run.stored_path:  # removed (committed, or purged: ``retention``)
        return False
    path = Path(run.stored_path)
    try:
        return path.is_file() and file_sha256(path) == run.sha256
    except readers.FileProblem:  # a sealed upload that no longer authenticates
        return False


def dry_run(
    actor: Any, run: ImportRun, on_progress: engine.ProgressSink | None = None
) -> ImportRun:
    """Check every row of the run's file; store the report on the run. Writes no records and
    no audit entry: a dry run changes nothing but its own report."""
    policy.require(actor, "edit", run)
    if run.status in {ImportRun.Status.COMMITTING, ImportRun.Status.COMMITTED}:
        raise ValidationError({"status": _("This import has already been committed.")})
    spec = _spec_of(run)
    schema = schemas.get(run.kind)
    RowError.objects.filter(run=run).delete()
    run.move_to(ImportRun.Status.VALIDATING, owner=liveness.current_owner())
    buffer = _ErrorBuffer(run)
    if not _file_intact(run):
        outcome = engine.Outcome(
            problem=RowProblem(0, "", _("The uploaded file is missing or has changed."))
        )
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
    run.move_to(
        ImportRun.Status.VALID if outcome.ok else ImportRun.Status.INVALID,
        total_rows=outcome.rows,
        error_count=outcome.error_count + (1 if outcome.problem else 0),
        problem=outcome.problem.reason if outcome.problem else "",
        skipped_rows=outcome.already_imported,
        validated_spec=spec.to_dict() if outcome.ok else None,
        finished_at=timezone.now(),
    )
    return run


def commit_run(
    actor: Any, run: ImportRun, on_progress: engine.ProgressSink | None = None
) -> ImportRun:
    """Write the run's rows (all or nothing, or resumable by chunks). Re-running a committed or
    interrupted run creates no duplicates. Audited as ``dataio.run.committed``."""
    policy.require(actor, "commit", run)
    schema = _require_import(actor, run.organisation, run.kind)
    spec = _spec_of(run)
    validated = (
        run.status == ImportRun.Status.VALID
        and run.validated_spec == spec.to_dict()
        and _file_intact(run)
    )
    run.move_to(ImportRun.Status.COMMITTING, owner=liveness.current_owner(), processed_rows=0)
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
    with transaction.atomic():
        run.refresh_from_db()
        kept = outcome.committed or resumable  # else everything was rolled back
        settled: dict[str, Any] = {
            "processed_rows": outcome.rows,
            # Counted from what is committed, whatever the attempts: the rows whose keys this
            # run stored (in the transactions of their records); the others were imported
            # before.
            "created_rows": _created_by(run),
            "skipped_rows": max(outcome.skipped - earlier, 0) if kept else 0,
            "error_count": outcome.error_count + (1 if outcome.problem else 0),
            "problem": outcome.problem.reason if outcome.problem else "",
            "finished_at": timezone.now(),
        }
        if outcome.committed and outcome.rows:
            settled["total_rows"] = outcome.rows
        run.move_to(
            ImportRun.Status.COMMITTED if outcome.committed else ImportRun.Status.INVALID,
            **settled,
        )
        if outcome.committed:
            record(
                actor,
                "dataio.run.committed",
                run,
                diff={
                    "kind": run.kind,
                    "rows": outcome.rows,
                    "created": run.created_rows,
                    "skipped": run.skipped_rows,
                    "mode": run.mode,
                    "sha256": run.sha256,
                },
            )
    if outcome.committed and Path(run.stored_path).parent == upload_dir():
        Path(run.stored_path).unlink(missing_ok=True)  # uploads hold identities (sealed)
        ImportRun.objects.filter(pk=run.pk).update(stored_path="")  # nothing left to purge
        run.stored_path = ""
    return run


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
    actor: Any, organisation: Organisation, *, kind: str, path: Path, mapping: Mapping
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


def file_sha256(path: Path) -> str:
    """SHA-256 of the file's content (a sealed upload's plaintext, authenticated as read)."""
    digest = hashlib.sha256()
    with sealed.open_upload(path) as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def import_file(
    actor: Any,
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
    trail and the stable keys, the file is read in place and left where it is."""
    _require_import(actor, organisation, kind)
    policy.require(actor, "use", mapping)
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
    return commit_run(actor, run, on_progress=on_progress)


def start_export(
    actor: Any, organisation: Organisation, *, kind: str, file_format: str
) -> tuple[list[str], Iterator[list[Any]]]:
    """Check that ``actor`` may export ``kind`` from ``organisation``, audit the export (a
    sensitive read) and return the header and the row iterator (rows come from the policy's
    visible queryset; identities are redacted unless the actor may reveal them)."""
    rules.require_export(actor, organisation)
    schema = schemas.get(kind)
    header = schema.export_columns(actor, organisation)
    rows = schema.export_rows(actor, organisation)
    record_export(actor, kind=kind, organisation_id=organisation.pk, file_format=file_format,
                  filters={})  # fmt: skip
    return header, rows


def record_export(
    actor: Any, *, kind: str, organisation_id: int | None, file_format: str, filters: dict[str, Any]
) -> None:
    """Audit an export (a sensitive read) before its first byte is sent."""
    record(
        actor,
        f"{kind}.exported",
        organisation_id=organisation_id,
        object_type=f"dataio.export.{kind}",
        diff={"format": file_format, "filters": filters},
    )


def schedule(actor: Any, run: ImportRun, phase: str) -> ImportRun:
    """Start a dry run (``phase="check"``) or a commit in the background, with a progress bar."""
    from justicework.dataio.tasks import run_import
    from justicework.tasks.actions import enqueue_with_progress, start_progress

    policy.require(actor, "commit" if phase == "commit" else "edit", run)
    if phase not in {"check", "commit"}:
        raise ValidationError({"phase": _("Unknown step.")})
    if run.mapping is None:
        raise ValidationError({"mapping": _("Choose a mapping first.")})
    if run.status in {ImportRun.Status.COMMITTING, ImportRun.Status.VALIDATING}:
        fail_stale_runs(run.organisation)  # its process may have been killed
        run.refresh_from_db(fields=["status"])
    if run.status in {ImportRun.Status.COMMITTING, ImportRun.Status.VALIDATING}:
        raise ValidationError({"status": _("This import is already running.")})
    if run.status == ImportRun.Status.COMMITTED:
        raise ValidationError({"status": _("This import has already been committed.")})
    # A failed commit may be run again: it checks the file again and resumes (row keys).
    if phase == "commit" and run.status not in {ImportRun.Status.VALID, ImportRun.Status.FAILED}:
        raise ValidationError({"status": _("Run a successful check (dry run) first.")})
    title = (_("Checking %(file)s") if phase == "check" else _("Importing %(file)s")) % {
        "file": run.filename
    }
    with transaction.atomic():
        progress = start_progress(
            actor, kind=f"dataio.{phase}", title=title, organisation=run.organisation
        )
        run.progress_id = str(progress.pk)
        run.save(update_fields=["progress_id"])
        transaction.on_commit(
            lambda: enqueue_with_progress(progress, run_import, run.pk, actor.pk, phase)
        )
    return run
