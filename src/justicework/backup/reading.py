"""Reading a backup back: its manifest, and a full verification pass that writes nothing.

:func:`verify` reads every table and file of the archive (each chunk authenticated on the way),
re-hashes them against the manifest, counts the rows, checks that this instance runs the same
migrations, walks the backup's audit chain with this instance's audit key, and checks the signed
checkpoint inside it. ``justicework restore --check`` is exactly this pass.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Model

from justicework.audit import checkpoint as checkpoints
from justicework.audit.chain import canonical_json
from justicework.audit.verify import ROW_FIELDS, verify_chain
from justicework.backup import tables
from justicework.backup.archive import BackupError

MANIFEST = "manifest.json"
MANIFEST_FORMAT = "justicework-backup-manifest/1"
AUDIT = "audit.auditentry"
READ = 1024 * 1024


def table_entry(label: str) -> str:
    return f"tables/{label}.jsonl"


def file_entry(relative: str) -> str:
    return f"data/{relative}"


@dataclass
class Verified:
    """What a verification pass found (all of it matched the manifest)."""

    manifest: dict[str, Any]
    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0
    audit_entries: int = 0


def read_manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError as exc:
        raise BackupError("the backup has no manifest: it is incomplete.") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        raise BackupError(f"the backup's manifest is not in the {MANIFEST_FORMAT} format.")
    return manifest


def applied_migrations() -> list[list[str]]:
    applied = MigrationRecorder(connection).applied_migrations()
    return sorted([app, name] for app, name in applied)


def check_versions(manifest: dict[str, Any]) -> dict[str, type[Model]]:
    """The models to restore, by label; refuses a backup of another version of JusticeWork."""
    ours = {tuple(item) for item in applied_migrations()}
    theirs = {tuple(item) for item in manifest.get("migrations", [])}
    if ours != theirs:
        only_backup = sorted(f"{a}.{n}" for a, n in theirs - ours)[:5]
        only_here = sorted(f"{a}.{n}" for a, n in ours - theirs)[:5]
        raise BackupError(
            "the backup was made by another version of JusticeWork (migrations only in the "
            f"backup: {', '.join(only_backup) or 'none'}; only here: "
            f"{', '.join(only_here) or 'none'}). Install the version that made it, migrate, "
            "then restore."
        )
    expected = {m._meta.label_lower: m for m in tables.models()}
    if set(manifest.get("tables", {})) != set(expected):
        raise BackupError("the backup's tables are not this version's; nothing was restored.")
    return expected


def iter_table(
    archive: zipfile.ZipFile, manifest: dict[str, Any], label: str
) -> Iterator[tuple[list[str], list[Any]]]:
    """(columns, row) for every row of a table entry, checking its SHA-256 and row count
    against the manifest once the entry is read to its end."""
    expected = manifest["tables"][label]
    digest = hashlib.sha256()
    count = 0
    with _open_entry(archive, table_entry(label)) as handle:
        first = handle.readline()
        digest.update(first)
        names = json.loads(first)["columns"]
        for line in handle:
            digest.update(line)
            count += 1
            yield names, json.loads(line)
    if count != expected["rows"] or digest.hexdigest() != expected["sha256"]:
        raise BackupError(
            f"table {label} does not match the backup's manifest ({count} rows read, "
            f"{expected['rows']} listed): the backup is damaged; nothing was restored."
        )


def _open_entry(archive: zipfile.ZipFile, name: str) -> IO[bytes]:
    try:
        return archive.open(name)
    except KeyError as exc:
        raise BackupError(
            f"the backup lists {name} but does not hold it: it is incomplete; nothing was restored."
        ) from exc


def hash_stream(handle: IO[bytes], sink: IO[bytes] | None = None) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    while block := handle.read(READ):
        digest.update(block)
        size += len(block)
        if sink is not None:
            sink.write(block)
    return digest.hexdigest(), size


def check_file(
    archive: zipfile.ZipFile,
    manifest: dict[str, Any],
    relative: str,
    sink: IO[bytes] | None = None,
) -> None:
    expected = manifest["files"][relative]
    with _open_entry(archive, file_entry(relative)) as handle:
        digest, size = hash_stream(handle, sink)
    if digest != expected["sha256"] or size != expected["size"]:
        raise BackupError(
            f"file {relative} does not match its SHA-256 in the backup's manifest: the backup "
            "is damaged; nothing was restored."
        )


def _audit_rows(archive: zipfile.ZipFile, manifest: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
    for names, row in iter_table(archive, manifest, AUDIT):
        values = dict(zip(names, row, strict=True))
        values["created_at"] = dt.datetime.fromisoformat(values["created_at"])
        values["diff"] = json.loads(values["diff"])
        yield tuple(values[name] for name in ROW_FIELDS)


def _check_checkpoint(archive: zipfile.ZipFile, manifest: dict[str, Any]) -> None:
    """The backup's signed checkpoint: a valid signature, and its entry in the backup's chain."""
    try:
        data = checkpoints.parse(json.dumps(manifest.get("checkpoint")))
    except checkpoints.CheckpointError as exc:
        raise BackupError(f"the backup's audit checkpoint is unusable: {exc}") from exc
    payload = {name: data[name] for name in checkpoints.SIGNED_FIELDS}
    try:
        public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(str(data["public_key"])))
        public.verify(base64.b64decode(str(data["signature"])), canonical_json(payload))
    except (InvalidSignature, ValueError) as exc:
        raise BackupError("the backup's audit checkpoint is not validly signed.") from exc
    if data["seq"] == 0:
        return
    for names, row in iter_table(archive, manifest, AUDIT):
        values = dict(zip(names, row, strict=True))
        if values["seq"] == data["seq"]:
            if values["hash"] != data["hash"]:
                break
            return
    raise BackupError(
        f"the backup's audit chain does not hold its checkpoint's entry #{data['seq']}."
    )


def verify(archive: zipfile.ZipFile) -> Verified:
    """Verify everything in the archive against its manifest and this instance (same
    migrations, same audit key). Writes nothing. Raises :class:`BackupError`."""
    manifest = read_manifest(archive)
    models = check_versions(manifest)
    result = Verified(manifest)
    for label in models:
        if label == AUDIT:
            continue
        result.rows[label] = sum(1 for _ in iter_table(archive, manifest, label))
    chain = verify_chain(_audit_rows(archive, manifest))
    if not chain.ok:
        raise BackupError(
            f"the backup's audit chain is broken at entry #{chain.first_bad_seq}: "
            f"{chain.problem}. (Is JUSTICEWORK_AUDIT_KEY the source instance's audit key?)"
        )
    result.rows[AUDIT] = result.audit_entries = chain.checked
    _check_checkpoint(archive, manifest)
    for relative in manifest["files"]:
        check_file(archive, manifest, relative)
        result.files += 1
    return result
