"""`kill -9` of ``justicework evidence ingest`` at random points, then re-runs: the end state
is complete and consistent (every file once, no original without its item, no item without
its file, every stored file's SHA-256 its name), and no copy in progress is left.

    .venv/bin/python -m pytest -q -s tests/evidence/ingest/test_ingest_crash.py
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests import subprocess_db

pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SIGKILL"),
    subprocess_db.sqlite_pass_only,
]

FILES = 60
SIZE = 200 * 1024
KILLS = 3
REPO = Path(__file__).resolve().parents[3]
SEED = int(os.environ.get("JUSTICEWORK_CRASH_SEED", "12"))

SETUP = """
import django
django.setup()
from justicework.core import actions as core
from justicework.core.roles import Role
from tests.conftest import make_org, make_user
org = make_org("Ingest Crash Watch")
user = make_user("documenter@ingest.test")
core.add_member(None, org, user, Role.DOCUMENTER)
print(org.slug)
"""
RUN = "from justicework.cli import main; main()"


def _count(db: Path, table: str) -> int:
    for _attempt in range(50):
        try:
            with sqlite3.connect(db, timeout=0.2) as connection:
                return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608  # a fixed table name
        except sqlite3.OperationalError:
            time.sleep(0.02)
    raise AssertionError("the database stayed locked")


def _stored(vault: Path) -> dict[str, Path]:
    return {p.name: p for p in (vault / "originals").rglob("*") if p.is_file()}


def _rows(db: Path) -> tuple[dict[str, int], list[tuple[str, str]]]:
    with sqlite3.connect(db) as connection:
        originals = dict(connection.execute("SELECT sha256, id FROM evidence_original"))
        items = list(connection.execute(
            "SELECT o.sha256, i.submitted_name FROM evidence_item i "
            "JOIN evidence_original o ON o.id = i.original_id"
        ))  # fmt: skip
    return originals, items


def _consistent_so_far(db: Path, vault: Path) -> None:
    originals, items = _rows(db)
    stored = _stored(vault)
    assert set(originals) <= set(stored), "a row points at a missing file"
    assert {sha for sha, _name in items} == set(originals), "an original row without its item"
    assert len(stored) - len(originals) <= 1, "more than the one file being stored at the kill"


def test_an_ingest_killed_at_random_points_finishes_complete(
    tmp_path: Path, migrated_sqlite: Path
) -> None:
    rng = random.Random(SEED)
    drop = tmp_path / "drop"
    drop.mkdir()
    expected = {}
    for number in range(FILES):
        data = rng.randbytes(SIZE)
        (drop / f"file-{number:03}.bin").write_bytes(data)
        expected[f"file-{number:03}.bin"] = hashlib.sha256(data).hexdigest()
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    db = subprocess_db.copy(migrated_sqlite, data_dir / "ingest.sqlite3")
    vault = data_dir / "evidence"
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "justicework.settings_test",
        "JUSTICEWORK_DATA_DIR": str(data_dir), "DATABASE_URL": f"sqlite:///{db}",
        "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)]),
    }  # fmt: skip
    setup = subprocess.run([sys.executable, "-c", SETUP], env=env, capture_output=True,
                           text=True, timeout=180, check=False)  # fmt: skip
    assert setup.returncode == 0, setup.stderr[-3000:]
    command = [sys.executable, "-c", RUN, "evidence", "ingest", str(drop), "--organisation",
               setup.stdout.strip(), "--as", "documenter@ingest.test"]  # fmt: skip
    for kill in range(KILLS):
        before = _count(db, "evidence_item")
        wanted = before + rng.randint(1, (FILES - before) // (KILLS - kill + 1))
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)  # fmt: skip
        deadline = time.monotonic() + 120
        while _count(db, "evidence_item") < wanted and time.monotonic() < deadline:
            time.sleep(rng.uniform(0.001, 0.03))
        assert process.poll() is None, "the ingest finished before it could be killed"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        _consistent_so_far(db, vault)
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300,
                          check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert "already present" in done.stdout
    originals, items = _rows(db)
    stored = _stored(vault)
    assert sorted(items) == sorted((sha, name) for name, sha in expected.items())
    assert set(originals) == set(stored) == set(expected.values())
    for sha, path in stored.items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == sha
    assert not list((vault / "incoming").glob("ingest-*"))
    print(f"{KILLS} kills survived; {len(items)} items")
