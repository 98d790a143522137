"""The drill across engines (a SQLite backup restored to PostgreSQL and back) and a restore
killed with SIGKILL at a random moment."""

from __future__ import annotations

import random
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from justicework.audit.verify import verify_chain
from tests import subprocess_db
from tests.backup import instances
from tests.backup.helpers import counts, empty_instance, isolate, run, snapshot_files


def _files_of(settings, data: Path) -> dict[str, str]:
    """The uploaded files of the instance in ``data``, named as ``snapshot_files`` names them."""
    settings.DATA_DIR, settings.MEDIA_ROOT = data, data / "files"
    settings.EVIDENCE_DIR, settings.GRANTS_DIR = data / "evidence", data / "grants"
    return snapshot_files()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_sqlite_backup_restores_to_postgres_and_back(settings, tmp_path: Path, migrated_sqlite):
    source = instances.sqlite_demo_backup(
        tmp_path / "sqlite-a", tmp_path / "a.jwb", migrated_sqlite
    )
    sent = _files_of(settings, tmp_path / "sqlite-a")  # the scan and the demo's vault
    assert "files/evidence/scan.bin" in sent and any(k.startswith("evidence/") for k in sent)
    isolate(settings, tmp_path)
    empty_instance()
    code, output = run("restore", str(source))
    assert code == 0, output
    assert verify_chain().ok and counts()["violations.incident"] > 0
    assert snapshot_files() == sent
    code, output = run("backup", str(tmp_path / "b.jwb"))
    assert code == 0, output
    target = instances.migrated(tmp_path / "sqlite-b", migrated_sqlite)
    done = instances.run(target, "restore", str(tmp_path / "b.jwb"))
    assert "counts match" in done.stdout
    assert "Audit chain intact" in instances.run(target, "audit", "verify").stdout
    assert (target / "files" / "evidence" / "scan.bin").read_bytes() == bytes(range(256)) * 800


def _rows(database: Path, table: str) -> int:
    with sqlite3.connect(database) as db:
        return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608 - constant names


@subprocess_db.sqlite_pass_only
def test_a_restore_killed_at_a_random_moment_leaves_all_or_nothing(tmp_path: Path, migrated_sqlite):
    backup = instances.sqlite_demo_backup(
        tmp_path / "source", tmp_path / "demo.jwb", migrated_sqlite
    )
    instances.migrated(tmp_path / "probe", migrated_sqlite)
    started = time.monotonic()
    instances.run(tmp_path / "probe", "restore", str(backup))  # how long a restore takes
    duration = time.monotonic() - started
    target = instances.migrated(tmp_path / "target", migrated_sqlite)
    delay = random.uniform(0.1, duration)
    process = instances.start(target, "restore", str(backup))
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    database = target / "justicework.sqlite3"
    scan = target / "files" / "evidence" / "scan.bin"
    note = f"killed after {delay:.2f} s of {duration:.2f} s"
    if _rows(database, "audit_auditentry") == 0:  # not committed: nothing is there
        assert _rows(database, "violations_incident") == 0, note
        assert _rows(database, "core_user") == 0 and not scan.exists(), note
    elif not scan.exists():  # committed, files not moved yet: they wait in the private dir
        assert list(target.glob(".restore-*")), note
    if not scan.exists():
        done = instances.run(target, "restore", str(backup))
        assert "counts match" in done.stdout or "was completed" in done.stdout, note
    assert scan.exists(), note
    assert "Audit chain intact" in instances.run(target, "audit", "verify").stdout
    assert not list(target.glob(".restore-*")), note
