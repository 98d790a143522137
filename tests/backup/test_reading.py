"""``backup.reading`` on hand-built archives: a manifest that is missing or of another format,
a backup of another version (named migrations), tables and files that do not match their
manifest entry or are missing, each refused with a message that says what is wrong."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest

from justicework.backup import reading, tables
from justicework.backup.archive import BackupError


def archive_of(entries: dict[str, bytes]) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        for name, data in entries.items():
            out.writestr(name, data)
    buffer.seek(0)
    return zipfile.ZipFile(buffer)


def table_bytes(columns: list[str], rows: list[list[object]]) -> bytes:
    lines = [json.dumps({"columns": columns}), *(json.dumps(row) for row in rows)]
    return ("\n".join(lines) + "\n").encode()


def manifest_with(**parts: object) -> dict[str, object]:
    return {"format": reading.MANIFEST_FORMAT, "tables": {}, "files": {}, **parts}


# --- manifest ------------------------------------------------------------------------------------


def test_an_archive_without_a_manifest_is_incomplete():
    with pytest.raises(BackupError, match="has no manifest: it is incomplete"):
        reading.read_manifest(archive_of({"tables/x.jsonl": b""}))


@pytest.mark.parametrize(
    "manifest",
    [b"[]", json.dumps({"format": "justicework-backup-manifest/0"}).encode(), b'"text"'],
)
def test_a_manifest_of_another_format_is_refused_by_name(manifest):
    with pytest.raises(BackupError, match="not in the justicework-backup-manifest/1 format"):
        reading.read_manifest(archive_of({reading.MANIFEST: manifest}))


def test_a_manifest_of_this_format_is_read_back():
    manifest = manifest_with(created="2026-01-01")
    read = reading.read_manifest(archive_of({reading.MANIFEST: json.dumps(manifest).encode()}))
    assert read == manifest


# --- versions ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_backup_of_another_version_names_the_migrations_that_differ():
    ours = reading.applied_migrations()
    theirs = [*ours[1:], ["violations", "9999_from_the_future"]]
    with pytest.raises(BackupError) as refused:
        reading.check_versions(manifest_with(migrations=theirs))
    message = str(refused.value)
    assert "migrations only in the backup: violations.9999_from_the_future" in message
    assert f"only here: {ours[0][0]}.{ours[0][1]}" in message
    assert "Install the version that made it, migrate, then restore." in message


@pytest.mark.django_db
def test_a_backup_with_other_tables_is_refused():
    labels = {m._meta.label_lower: {} for m in tables.models()}
    labels.pop(next(iter(labels)))
    manifest = manifest_with(migrations=reading.applied_migrations(), tables=labels)
    with pytest.raises(BackupError, match="tables are not this version's; nothing was restored"):
        reading.check_versions(manifest)


@pytest.mark.django_db
def test_a_backup_of_this_version_gives_every_model_by_label():
    labels = {m._meta.label_lower: {} for m in tables.models()}
    manifest = manifest_with(migrations=reading.applied_migrations(), tables=labels)
    models = reading.check_versions(manifest)
    assert set(models) == set(labels)
    assert reading.AUDIT in models


# --- tables --------------------------------------------------------------------------------------


def table_archive(
    rows: list[list[object]], *, listed_rows: int | None = None, sha: str | None = None
):
    data = table_bytes(["id", "name"], rows)
    entry = {"rows": len(rows) if listed_rows is None else listed_rows}
    entry["sha256"] = sha or hashlib.sha256(data).hexdigest()
    manifest = manifest_with(tables={"core.thing": entry})
    return archive_of({reading.table_entry("core.thing"): data}), manifest


def test_a_table_entry_yields_its_columns_and_rows():
    archive, manifest = table_archive([[1, "a"], [2, "b"]])
    assert list(reading.iter_table(archive, manifest, "core.thing")) == [
        (["id", "name"], [1, "a"]),
        (["id", "name"], [2, "b"]),
    ]


def test_a_table_with_fewer_rows_than_listed_is_damaged():
    archive, manifest = table_archive([[1, "a"]], listed_rows=2)
    with pytest.raises(BackupError, match=r"table core.thing .*\(1 rows read, 2 listed\)"):
        list(reading.iter_table(archive, manifest, "core.thing"))


def test_a_table_whose_bytes_changed_is_damaged_even_with_the_right_count():
    archive, manifest = table_archive([[1, "a"]], sha="0" * 64)
    with pytest.raises(BackupError, match="the backup is damaged; nothing was restored"):
        list(reading.iter_table(archive, manifest, "core.thing"))


def test_a_listed_table_missing_from_the_archive_is_incomplete():
    manifest = manifest_with(tables={"core.thing": {"rows": 0, "sha256": ""}})
    with pytest.raises(BackupError, match=r"lists tables/core\.thing\.jsonl but does not hold it"):
        list(reading.iter_table(archive_of({}), manifest, "core.thing"))


# --- files ---------------------------------------------------------------------------------------


def file_archive(content: bytes, *, size: int | None = None, sha: str | None = None):
    manifest = manifest_with(
        files={
            "uploads/a.bin": {
                "sha256": sha or hashlib.sha256(content).hexdigest(),
                "size": len(content) if size is None else size,
            }
        }
    )
    return archive_of({reading.file_entry("uploads/a.bin"): content}), manifest


def test_a_matching_file_is_copied_to_the_sink():
    archive, manifest = file_archive(b"sealed bytes" * 1000)
    sink = io.BytesIO()
    reading.check_file(archive, manifest, "uploads/a.bin", sink)
    assert sink.getvalue() == b"sealed bytes" * 1000


@pytest.mark.parametrize("change", [{"size": 1}, {"sha": "f" * 64}])
def test_a_file_that_does_not_match_its_manifest_entry_is_damaged(change):
    archive, manifest = file_archive(b"sealed bytes", **change)
    with pytest.raises(BackupError, match=r"file uploads/a\.bin does not match its SHA-256"):
        reading.check_file(archive, manifest, "uploads/a.bin")


def test_a_listed_file_missing_from_the_archive_is_incomplete():
    manifest = manifest_with(files={"uploads/a.bin": {"sha256": "", "size": 0}})
    with pytest.raises(BackupError, match=r"lists data/uploads/a\.bin but does not hold it"):
        reading.check_file(archive_of({}), manifest, "uploads/a.bin")


def test_hashing_a_stream_gives_its_digest_and_size():
    data = b"x" * (reading.READ + 10)
    assert reading.hash_stream(io.BytesIO(data)) == (hashlib.sha256(data).hexdigest(), len(data))


# --- checkpoint ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_checkpoint_with_a_bad_signature_is_refused():
    from justicework.audit.checkpoint import make_checkpoint

    checkpoint = {**make_checkpoint(), "seq": 0}  # changed after signing
    checkpoint["hash"] = "1" * 64
    with pytest.raises(BackupError, match="audit checkpoint is not validly signed"):
        reading._check_checkpoint(archive_of({}), manifest_with(checkpoint=checkpoint))


@pytest.mark.django_db
def test_a_signed_checkpoint_of_an_empty_chain_needs_no_audit_table():
    from justicework.audit.checkpoint import make_checkpoint

    checkpoint = make_checkpoint()
    assert checkpoint["seq"] == 0
    reading._check_checkpoint(archive_of({}), manifest_with(checkpoint=checkpoint))


@pytest.mark.parametrize(
    "checkpoint, says",
    [
        (None, "not in the justicework-audit-checkpoint/1 format"),
        ({"format": "justicework-audit-checkpoint/1"}, "lacks"),
    ],
)
def test_a_missing_or_incomplete_checkpoint_is_a_backup_error_naming_it(checkpoint, says):
    with pytest.raises(BackupError, match=f"audit checkpoint is unusable: .*{says}"):
        reading._check_checkpoint(archive_of({}), manifest_with(checkpoint=checkpoint))
