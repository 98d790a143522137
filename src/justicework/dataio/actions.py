"""Every write of the import app: mappings, uploads, scheduling, exports' audit; the run's steps
(dry run, commit, stale runs) are in ``dataio.runs`` and re-exported here."""

from __future__ import annotations

import json
from collections import abc
from collections.abc import Collection, Iterable, Iterator
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.audit.chain import diff_fields, record
from justicework.core import policy, uses
from justicework.core.actors import Requester
from justicework.core.models import Organisation, User
from justicework.dataio import namespaces, rules
from justicework.dataio import schema as schemas
from justicework.dataio.models import FileFormat, ImportRun, Mapping
from justicework.dataio.retention import purge_uploads
from justicework.dataio.runs import MAX_STORED_ERRORS as MAX_STORED_ERRORS
from justicework.dataio.runs import _require_import
from justicework.dataio.runs import commit_run as commit_run
from justicework.dataio.runs import dry_run as dry_run
from justicework.dataio.runs import fail_stale_runs as fail_stale_runs
from justicework.dataio.runs import import_file as import_file
from justicework.dataio.runs import parse_spec as parse_spec
from justicework.dataio.runs import stopped_run as stopped_run
from justicework.dataio.storage import EXTENSIONS as EXTENSIONS
from justicework.dataio.storage import file_sha256 as file_sha256
from justicework.dataio.storage import store_upload as store_upload
from justicework.dataio.storage import upload_dir as upload_dir
from justicework.dataio.tasks import run_import
from justicework.dataio.updates import apply_changes as apply_changes
from justicework.dataio.updates import run_diff as run_diff


@transaction.atomic
def save_mapping(
    actor: User,
    organisation: Organisation,
    *,
    kind: str,
    name: str,
    file_format: str,
    spec: Any,
    columns: Collection[str] | None = None,
) -> Mapping:
    """Create the mapping ``name`` or replace its spec, after every check of the mapping
    (against the file's ``columns`` or Kobo paths when a file is at hand)."""
    _require_import(actor, organisation, kind)
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationError({"name": _("A mapping needs a name of 1 to 100 characters.")})
    if file_format not in FileFormat.values:
        raise ValidationError({"file_format": _("Choose CSV, XLSX or Kobo JSON.")})
    kobo = file_format == FileFormat.KOBO
    parsed = parse_spec(kind, spec, columns=columns, kobo=kobo)
    namespaces.require_same_key(organisation, kind, parsed, file_format)
    clean = parsed.to_dict()
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


def shipped_mapping_spec(kind: str, name: str) -> Any:
    """The JSON of the mapping ``name`` that ships with ``kind``'s schema; ``LookupError`` if
    there is none of that name."""
    path = schemas.get(kind).shipped_mappings().get(name)
    if path is None:
        raise LookupError(name)
    return json.loads(path.read_text(encoding="utf-8"))


def install_shipped_mapping(
    actor: User, organisation: Organisation, *, kind: str, name: str
) -> Mapping:
    """Add the shipped mapping ``name`` to ``organisation``'s mappings, or bring the saved one
    of that name back to the shipped version (checked and audited as :func:`save_mapping`).
    It reads CSV, XLSX and JSON alike (the JSON export is read as a list of submissions)."""
    try:
        spec = shipped_mapping_spec(kind, name)
    except LookupError:
        raise ValidationError(
            {"name": _("No mapping named %(n)s ships with the app.") % {"n": name}}
        ) from None
    return save_mapping(
        actor, organisation, kind=kind, name=name, file_format=FileFormat.CSV, spec=spec
    )


@transaction.atomic
def record_values_shown(actor: User, run: ImportRun) -> None:
    """Audit the mapping builder showing cell values of an upload (a sensitive read: the file
    may hold identities; it is sealed at rest) to the one who uploaded it, the only one who may
    see them before they are imported."""
    policy.require(actor, "edit", run)
    if run.created_by_id != actor.pk:
        raise PermissionDenied(_("Only the person who uploaded a file sees its values here."))
    record(actor, "dataio.run.values_shown", run, diff={"filename": run.filename})


@transaction.atomic
def delete_mapping(actor: User, mapping: Mapping) -> None:
    policy.require(actor, "delete", mapping)
    record(actor, "dataio.mapping.deleted", mapping, diff={"name": mapping.name})
    mapping.delete()


def start_run(
    actor: User,
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
    actor: User,
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
def choose_mapping(actor: User, run: ImportRun, mapping: Mapping, mode: str) -> ImportRun:
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


def under_use(name: str, rows: Iterator[list[Any]]) -> Iterator[list[Any]]:
    """``rows`` each read under the use ``name``: a download is streamed after its view has
    returned, outside the view's use."""
    while True:
        with uses.using(name):
            row = next(rows, None)
        if row is None:
            return
        yield row


def start_export(
    actor: User,
    organisation: Organisation,
    *,
    kind: str,
    file_format: str,
    filters: abc.Mapping[str, str] | None = None,
) -> tuple[list[str], Iterator[list[Any]]]:
    """Check that ``actor`` may export ``kind`` from ``organisation``, audit the export (a
    sensitive read, with its filters) and return the header and the row iterator (rows come
    from the policy's visible queryset, narrowed by ``filters`` as the kind's schema reads
    them; identities are redacted unless the actor may reveal them)."""
    rules.require_export(actor, organisation)
    schema = schemas.get(kind)
    with uses.using(schema.export_use):
        chosen = schema.export_filters(filters or {})
        header = schema.export_columns(actor, organisation)
        rows = under_use(schema.export_use, schema.export_rows(actor, organisation, chosen))
    record_export(actor, kind=kind, organisation_id=organisation.pk, file_format=file_format,
                  filters=chosen)  # fmt: skip
    return header, rows


def record_export(
    actor: Requester,
    *,
    kind: str,
    organisation_id: int | None,
    file_format: str,
    filters: dict[str, Any],
) -> None:
    """Audit an export (a sensitive read) before its first byte is sent."""
    record(
        actor,
        f"{kind}.exported",
        organisation_id=organisation_id,
        object_type=f"dataio.export.{kind}",
        diff={"format": file_format, "filters": filters},
    )


def _same_key(run: ImportRun) -> None:
    """One key per namespace, said on the page now rather than by the background task. A
    mapping that does not parse (or a kind gone) is left to the task, which reports it."""
    assert run.mapping is not None
    try:
        spec = parse_spec(run.kind, run.mapping.spec)
    except (LookupError, ValidationError):
        return
    namespaces.require_same_key(run.organisation, run.kind, spec, run.file_format, run.pk)


def schedule(actor: User, run: ImportRun, phase: str) -> ImportRun:
    """Start a dry run (``phase="check"``) or a commit in the background, with a progress bar."""
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
    _same_key(run)
    if phase == "commit" and run.kind in schemas.kinds():  # (an unknown kind: the run says so)
        schemas.get(run.kind).prepare_run(actor, run)  # refused decisions say so now
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
