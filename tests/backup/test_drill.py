"""The backup and restore drill (issue 9): `justicework backup OUT` then `justicework restore
IN` onto an empty instance, on the engine the suite runs on."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from justicework.audit.models import AuditEntry
from justicework.audit.verify import verify_chain
from justicework.backup import actions, tables
from justicework.violations.models import Person
from tests.backup.helpers import (
    add_files,
    counts,
    empty_instance,
    isolate,
    run,
    snapshot_files,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_backup(settings, tmp_path: Path):
    """The demo (2 % of its violations), two uploaded files, backed up."""
    isolate(settings, tmp_path)
    settings.VIOLATIONS_DEMO_FRACTION = 0.02
    call_command("demo", stdout=io.StringIO())
    files = add_files()
    path = tmp_path / "demo.jwb"
    code, output = run("backup", str(path))
    assert code == 0 and "Backup written" in output, output
    before = counts()
    names = {p.pk: p.full_name for p in Person.objects.order_by("pk")[:20]}
    return path, before, files, names


def test_round_trip_restores_rows_files_and_a_verifying_audit_chain(demo_backup):
    path, before, files, names = demo_backup
    raw = path.read_bytes()
    assert next(iter(names.values())).encode() not in raw  # encrypted: no identity in clear
    empty_instance()
    assert AuditEntry.objects.count() == 0 and snapshot_files() == {}
    code, output = run("restore", "--check", str(path))
    assert code == 0 and "nothing written" in output, output
    assert AuditEntry.objects.count() == 0  # --check wrote nothing
    code, output = run("restore", str(path))
    assert code == 0 and "counts match" in output, output
    after = counts()
    assert after.pop("audit.auditentry") == before.pop("audit.auditentry") + 1  # backup.restored
    assert after == before
    assert snapshot_files() == files
    assert verify_chain().ok
    assert run("audit", "verify")[0] == 0
    assert {p.pk: p.full_name for p in Person.objects.filter(pk__in=names)} == names
    assert AuditEntry.objects.order_by("-seq").first().action == "backup.restored"
    # the restored instance works on: new rows take ids after the restored ones (sequences)
    from justicework.core.models import Organisation
    from tests.conftest import make_org

    highest = Organisation.objects.order_by("-pk").values_list("pk", flat=True).first()
    assert make_org("Fictional Newcomers").pk > highest
    assert verify_chain().ok


def test_a_tampered_backup_is_refused_and_nothing_is_written(demo_backup):
    path = demo_backup[0]
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    empty_instance()
    for args in (("restore", "--check", str(path)), ("restore", str(path))):
        code, output = run(*args)
        assert code == 1 and "damaged or was altered" in output, output
    assert counts()["audit.auditentry"] == 0 and snapshot_files() == {}


def test_a_truncated_backup_is_refused(demo_backup):
    path = demo_backup[0]
    path.write_bytes(path.read_bytes()[:-100])
    empty_instance()
    code, output = run("restore", str(path))
    assert code == 1 and "nothing was restored" in output


def test_the_wrong_master_key_is_refused(demo_backup, settings):
    path = demo_backup[0]
    empty_instance()
    settings.MASTER_KEY = base64.b64decode(base64.b64encode(b"another-master-key-32-bytes-long"))
    code, output = run("restore", str(path))
    assert code == 1 and "master key" in output and "JUSTICEWORK_MASTER_KEY" in output
    assert counts()["audit.auditentry"] == 0


def test_the_wrong_audit_key_is_refused(demo_backup, monkeypatch):
    from justicework import keyfiles

    path = demo_backup[0]
    empty_instance()
    monkeypatch.setenv("JUSTICEWORK_AUDIT_KEY", base64.b64encode(b"a" * 32).decode())
    keyfiles.audit_key.cache_clear()
    try:
        code, output = run("restore", str(path))
    finally:
        keyfiles.audit_key.cache_clear()
    assert code == 1 and "audit key" in output
    assert counts()["audit.auditentry"] == 0


def test_a_non_empty_instance_is_refused_and_left_unchanged(demo_backup):
    path, before, files, _names = demo_backup
    code, output = run("restore", str(path))
    assert code == 1 and "not empty" in output
    assert counts() == {**before, "audit.auditentry": before["audit.auditentry"]}
    assert snapshot_files() == files


def test_files_left_on_an_otherwise_empty_instance_are_refused(demo_backup):
    path = demo_backup[0]
    empty_instance()
    stray = actions.file_roots()["files"] / "left-over.bin"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"x")
    code, output = run("restore", str(path))
    assert code == 1 and "already has uploaded files" in output


def test_a_crash_mid_restore_leaves_nothing(demo_backup, monkeypatch, settings):
    path = demo_backup[0]
    empty_instance()
    seeded = {label: n for label, n in counts().items() if label in tables.SEEDED}
    real_insert = tables.insert

    def crash_at_persons(model, names, rows):
        if model._meta.label_lower == "violations.person":
            raise RuntimeError("simulated crash while inserting persons")
        real_insert(model, names, rows)

    monkeypatch.setattr(tables, "insert", crash_at_persons)
    with pytest.raises(RuntimeError, match="simulated crash"):
        actions.restore_backup(path)
    after = counts()
    assert {k: v for k, v in after.items() if k not in tables.SEEDED} == dict.fromkeys(
        [k for k in after if k not in tables.SEEDED], 0
    )
    assert {k: after[k] for k in seeded} == seeded
    assert snapshot_files() == {}
    assert not list(Path(settings.DATA_DIR).glob(".restore-*"))
    monkeypatch.setattr(tables, "insert", real_insert)
    actions.restore_backup(path)  # and the instance can still be restored
    assert verify_chain().ok


def test_backups_are_never_overwritten(demo_backup):
    path = demo_backup[0]
    size = path.stat().st_size
    with pytest.raises(Exception, match="already exists"):
        call_command("backup", str(path))
    assert path.stat().st_size == size
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_restore_killed_after_its_commit_is_completed_by_the_next(demo_backup, monkeypatch):
    """SIGKILL between the commit and the move of the files: no clean-up runs (simulated by
    not removing the private directory), the next `restore` moves the files into place."""
    path, _before, files, _names = demo_backup
    empty_instance()

    def killed(staging):
        raise RuntimeError("killed after the commit")

    monkeypatch.setattr(actions, "_move_into_place", killed)
    monkeypatch.setattr(actions.shutil, "rmtree", lambda *args, **kwargs: None)
    with pytest.raises(RuntimeError, match="killed after the commit"):
        actions.restore_backup(path)
    monkeypatch.undo()
    assert snapshot_files() == {} and counts()["violations.incident"] > 0
    code, output = run("restore", str(path))
    assert code == 0 and "interrupted after its commit was completed" in output, output
    assert snapshot_files() == files
    assert verify_chain().ok


def test_a_backup_of_another_version_is_refused(demo_backup):
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    path = demo_backup[0]
    empty_instance()
    recorder = MigrationRecorder(connection)
    recorder.record_applied("audit", "9999_from_the_future")
    try:
        code, output = run("restore", "--check", str(path))
    finally:  # a flush does not empty django_migrations: later tests would see the fake one
        recorder.record_unapplied("audit", "9999_from_the_future")
    assert code == 1 and "another version of JusticeWork" in output
    assert "audit.9999_from_the_future" in output
    assert counts()["audit.auditentry"] == 0


def test_a_file_that_is_not_a_backup_is_refused(tmp_path: Path):
    path = tmp_path / "not-a-backup.jwb"
    path.write_bytes(b"PK\x03\x04 a zip, not a backup")
    code, output = run("restore", "--check", str(path))
    assert code == 1 and "not a JusticeWork backup" in output
