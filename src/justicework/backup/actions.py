"""``justicework backup OUT`` and ``justicework restore [--check] IN`` (docs/security.md, section
``backups``).

A backup holds every table (``backup.tables``), every uploaded file and a signed audit
checkpoint, encrypted under a fresh data key wrapped by the master key (``backup.archive``). It
never holds a key: restoring needs the source instance's key files copied first.

Restoring is all-or-nothing onto an empty instance: the whole archive is verified first
(``backup.reading.verify``), files are unpacked into a private directory and re-hashed, then
every row is inserted in one transaction that also rebuilds the search index, compares every
count with the manifest, walks the audit chain and checks the backup's checkpoint; only when
that transaction commits are the files moved into place. A failure, or a crash, at any point
leaves the instance as it was: the commit is the one moment that decides. A private directory
left by ``kill -9`` is removed by the next restore, or, if the kill came after the commit and
before the files were moved, its files are moved into place then.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from justicework.audit import checkpoint as checkpoints
from justicework.audit import triggers
from justicework.audit.chain import record
from justicework.audit.models import AuditEntry
from justicework.audit.verify import verify_chain
from justicework.backup import tables
from justicework.backup.archive import BackupError, open_reader, open_writer
from justicework.backup.reading import (
    MANIFEST,
    MANIFEST_FORMAT,
    Verified,
    applied_migrations,
    check_file,
    file_entry,
    hash_stream,
    iter_table,
    table_entry,
    verify,
)
from justicework.core.actors import Actor
from justicework.encryption.keyring import keyring
from justicework.search.api import reindex
from justicework.search.registry import registered_models

RESTORE_PREFIX = ".restore-"


@dataclass
class Summary:
    path: Path
    rows: dict[str, int]
    files: int
    checkpoint_seq: int
    #: A restore killed after its commit was completed (its files moved into place).
    completed: bool = False


def file_roots() -> dict[str, Path]:
    """The directories of uploaded files, by the name they have in a backup: stored files
    (``MEDIA_ROOT``), import uploads (sealed, ``<data dir>/imports``), the evidence vault's
    local store (``EVIDENCE_DIR``: originals, derivatives, uploads in progress, packages) and
    grant applications' attachments (``GRANTS_DIR``)."""
    return {
        "files": Path(settings.MEDIA_ROOT),
        "imports": Path(settings.DATA_DIR) / "imports",
        "evidence": Path(settings.EVIDENCE_DIR),
        "grants": Path(settings.GRANTS_DIR),
    }


#: Files a process writes before it stores them (web capture, ingest, sealing an attachment):
#: never a record's file, and removed by their writer or its next run.
TRANSIENT = frozenset({"incoming"})


def _uploaded_files() -> list[tuple[str, Path]]:
    """(``<root name>/<path in it>``, path) of every uploaded file, sorted."""
    found = []
    for name, root in file_roots().items():
        if root.is_dir():
            for path in root.rglob("*"):
                relative = path.relative_to(root)
                if relative.parts[0] in TRANSIENT or not path.is_file() or path.is_symlink():
                    continue
                found.append((f"{name}/{relative.as_posix()}", path))
    return sorted(found)


def _snapshot() -> None:
    """Make the open transaction one consistent snapshot (PostgreSQL; a SQLite transaction
    already is one, and holds writers off until it ends)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")


def _write_tables(archive: zipfile.ZipFile) -> dict[str, dict[str, Any]]:
    listed: dict[str, dict[str, Any]] = {}
    for model in tables.models():
        label = model._meta.label_lower
        info = zipfile.ZipInfo(table_entry(label), date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        digest = hashlib.sha256()
        count = 0
        with archive.open(info, "w", force_zip64=True) as out:
            head = json.dumps({"columns": [c for c, _k in tables.columns(model)]}) + "\n"
            digest.update(head.encode())
            out.write(head.encode())
            for row in tables.dump(model):
                line = (json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
                digest.update(line)
                out.write(line)
                count += 1
        listed[label] = {"table": model._meta.db_table, "rows": count, "sha256": digest.hexdigest()}
    return listed


def _write_files(archive: zipfile.ZipFile) -> dict[str, dict[str, Any]]:
    listed: dict[str, dict[str, Any]] = {}
    for relative, path in _uploaded_files():
        info = zipfile.ZipInfo(file_entry(relative), date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_STORED  # uploads are sealed: they do not compress
        with path.open("rb") as source, archive.open(info, "w", force_zip64=True) as out:
            digest, size = hash_stream(source, out)
        listed[relative] = {"size": size, "sha256": digest}
    return listed


def create_backup(out: Path, actor: Actor = None) -> Summary:
    """Write a backup of this instance to ``out`` (refused if it exists), atomically: the file
    appears complete or not at all. Audited as ``backup.created``."""
    if connection.in_atomic_block:
        raise BackupError("a backup must start outside a transaction (it takes its own snapshot).")
    if out.exists():
        raise BackupError(
            f"{out} already exists; choose a new file name (backups are never overwritten)."
        )
    partial = out.with_name(f".{out.name}.{secrets.token_hex(4)}.partial")
    with transaction.atomic():
        record(actor, "backup.created", object_type="backup", diff={"file": out.name})
    signed = checkpoints.make_checkpoint()  # creates the signing key on first use, on purpose
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            archive, chunks = open_writer(handle)
            with archive, transaction.atomic():
                _snapshot()
                listed = _write_tables(archive)
                files = _write_files(archive)
                manifest = {
                    "format": MANIFEST_FORMAT,
                    "created_at": timezone.now().isoformat(),
                    "engine": connection.vendor,
                    "migrations": applied_migrations(),
                    "tables": listed,
                    "files": files,
                    "checkpoint": signed,
                }
                archive.writestr(MANIFEST, json.dumps(manifest, indent=1, sort_keys=True))
            chunks.finish()
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    rows = {label: item["rows"] for label, item in listed.items()}
    return Summary(out, rows, len(files), int(signed["seq"]))


def check_backup(path: Path) -> Verified:
    """Verify a backup completely against this instance's keys and version; write nothing."""
    with open_reader(path) as archive:
        return verify(archive)


def _require_empty() -> None:
    for model in tables.models():
        if model._meta.label_lower not in tables.SEEDED and tables.has_rows(model):
            raise BackupError(
                f"this instance is not empty (table {model._meta.db_table} has rows): restore "
                "only onto a new instance (`justicework migrate` on an empty database and data "
                "directory); nothing was restored."
            )
    found = _uploaded_files()
    if found:
        raise BackupError(
            f"this instance already has uploaded files ({found[0][1]}): restore only onto a "
            "new instance; nothing was restored."
        )


def _safe_relative(relative: str) -> PurePosixPath:
    path = PurePosixPath(relative)
    if (
        path.is_absolute()
        or ".." in path.parts
        or len(path.parts) < 2
        or path.parts[0] not in file_roots()
    ):
        raise BackupError(f"the backup names a file outside the upload directories: {relative!r}.")
    return path


def _unpack_files(archive: zipfile.ZipFile, manifest: dict[str, Any], into: Path) -> None:
    for relative in manifest["files"]:
        target = into.joinpath(*_safe_relative(relative).parts)
        for parent in reversed(target.relative_to(into).parents):
            (into / parent).mkdir(exist_ok=True, mode=0o700)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as sink:
            check_file(archive, manifest, relative, sink)


def _insert_tables(archive: zipfile.ZipFile, manifest: dict[str, Any]) -> dict[str, int]:
    restored = tables.models()
    tables.empty_seeded()
    counts: dict[str, int] = {}
    for model in restored:
        label = model._meta.label_lower
        batch: list[list[Any]] = []
        names: list[str] = []
        for names, row in iter_table(archive, manifest, label):
            batch.append(row)
            if len(batch) >= tables.BATCH:
                tables.insert(model, names, batch)
                batch = []
        if batch:
            tables.insert(model, names, batch)
        counts[label] = tables.count(model)
        if counts[label] != manifest["tables"][label]["rows"]:
            raise BackupError(
                f"table {label}: {counts[label]} rows after restoring, the backup lists "
                f"{manifest['tables'][label]['rows']}; nothing was restored."
            )
    tables.reset_sequences(restored)
    return counts


def _check_restored(manifest: dict[str, Any]) -> None:
    keyring.clear()
    ContentType.objects.clear_cache()
    chain = verify_chain()
    if not chain.ok:
        raise BackupError(
            f"after restoring, audit verify fails at entry #{chain.first_bad_seq}: "
            f"{chain.problem}; nothing was restored."
        )
    if not triggers.installed(connection):
        raise BackupError("the audit table's append-only triggers are missing here; run migrate.")
    outcome = checkpoints.check(manifest["checkpoint"])
    if not outcome.ok:
        raise BackupError(f"the backup's audit checkpoint fails: {outcome.problem}")


def _move_into_place(staging: Path) -> None:
    """After the commit: each unpacked directory replaces its (file-less) target directory,
    by a rename (a copy when the target is on another file system, e.g. ``EVIDENCE_DIR``)."""
    for name, root in file_roots().items():
        if (staging / name).exists():
            if root.exists():
                shutil.rmtree(root)  # holds no record's file (checked before restoring)
            root.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(staging / name, root)


def _finish_interrupted(data_dir: Path) -> int:
    """Deal with the private directories a killed restore left. If its transaction committed
    (the ``backup.restored`` entry names the directory) but the files were not moved yet, move
    them now, into upload directories that hold no file; otherwise the directory is a restore
    that never happened: remove it. Returns how many committed restores were completed."""
    completed = 0
    for staging in sorted(data_dir.glob(f"{RESTORE_PREFIX}*")):
        committed = AuditEntry.objects.filter(
            action="backup.restored", diff__staging=staging.name
        ).exists()
        if committed:
            if _uploaded_files():
                raise BackupError(
                    f"a restore interrupted after its commit left its files in {staging}, but "
                    "the upload directories have files again since: move them by hand."
                )
            _move_into_place(staging)
            completed += 1
        shutil.rmtree(staging, ignore_errors=True)
    return completed


def restore_backup(path: Path, actor: Actor = None) -> Summary:
    """Restore ``path`` onto this empty instance, all or nothing. Audited as
    ``backup.restored`` (appended after the restored chain). When a restore killed after its
    commit left its files unmoved, this completes it instead (``Summary.completed``)."""
    data_dir = Path(settings.DATA_DIR)
    if _finish_interrupted(data_dir):
        return Summary(path, {}, 0, 0, completed=True)
    with open_reader(path) as archive:
        found = verify(archive)
        manifest = found.manifest
        _require_empty()
        staging = data_dir / f"{RESTORE_PREFIX}{secrets.token_hex(8)}"
        staging.mkdir(mode=0o700)
        try:
            _unpack_files(archive, manifest, staging)
            with transaction.atomic():
                counts = _insert_tables(archive, manifest)
                for model in registered_models():
                    reindex(model)
                _check_restored(manifest)
                diff = {"rows": sum(counts.values()), "files": found.files}
                record(
                    actor,
                    "backup.restored",
                    object_type="backup",
                    diff={
                        **diff,
                        "staging": staging.name,
                    },
                )
            # The commit decided: the files follow it (a kill here is completed next time).
            _move_into_place(staging)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return Summary(path, counts, found.files, int(manifest["checkpoint"]["seq"]))
