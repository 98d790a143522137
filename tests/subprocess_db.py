"""A migrated SQLite database for the tests that run JusticeWork in subprocesses (the crash and
kill tests, other instances): each copies it instead of running ``migrate`` again.

``migrate`` of every app takes tens of seconds (more under load); the tests start from the same
empty, migrated database every time, so the suite builds it once per pytest process:

* on SQLite, it is a copy of pytest-django's test database taken just after that database was
  migrated, before any test ran (``snapshot``, called from ``tests/conftest.py``);
* otherwise (the PostgreSQL pass), one ``migrate`` in a subprocess into a file, shared by the
  xdist workers of the run (``build``).

A copy is made with SQLite's backup API, so it is whole whatever journal the template was in.
A subprocess that still calls ``migrate`` on a copy finds nothing to apply (about 0.2 s).
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: For a test whose instances are SQLite files whatever ``DATABASE_URL`` names and which uses
#: no test database: CI's PostgreSQL pass would repeat exactly what its SQLite pass ran, so it
#: runs in the SQLite pass (any run without ``DATABASE_URL=postgres://...``) only.
sqlite_pass_only = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="its instances are SQLite whatever DATABASE_URL names: the SQLite pass runs it",
)

MIGRATE = (
    "import django; django.setup(); from django.core.management import call_command; "
    "call_command('migrate', verbosity=0)"
)


def _backup(source: sqlite3.Connection, target: Path) -> None:
    destination = sqlite3.connect(target)
    try:
        source.backup(destination)
    finally:
        destination.close()


def snapshot(connection: Any, target: Path) -> Path:
    """Copy the database behind Django's SQLite ``connection`` (the in-memory test database
    included) to the file ``target``."""
    connection.ensure_connection()
    _backup(connection.connection, target)
    return target


def is_migrated(database: Path) -> bool:
    """Whether the file ``database`` exists and holds applied migrations."""
    if not database.is_file():
        return False
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return bool(connection.execute("SELECT count(*) FROM django_migrations").fetchone()[0])
    except sqlite3.OperationalError:  # no such table
        return False
    finally:
        connection.close()


def build(folder: Path) -> Path:
    """``folder/migrated.sqlite3``, migrated in a subprocess the first time it is asked for (one
    process builds it; others asking meanwhile wait on a lock, then use it)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "migrated.sqlite3"
    with (folder / "migrated.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not target.exists():
            data = folder / "migrating"
            data.mkdir(exist_ok=True)
            database = data / "justicework.sqlite3"
            env = {
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "justicework.settings_test",
                "JUSTICEWORK_DATA_DIR": str(data),
                "DATABASE_URL": f"sqlite:///{database}",
                "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
            }
            done = subprocess.run(
                [sys.executable, "-c", MIGRATE], env=env, capture_output=True, text=True,
                timeout=900, check=False,
            )  # fmt: skip
            assert done.returncode == 0, f"migrate failed:\n{done.stderr[-3000:]}"
            source = sqlite3.connect(database)
            try:
                _backup(source, folder / "migrated.partial")
            finally:
                source.close()
            (folder / "migrated.partial").rename(target)  # whole or absent for the next reader
    return target


def copy(template: Path, target: Path) -> Path:
    """A new database file ``target`` holding the migrated template, private as JusticeWork
    makes its own (``encryption/filemodes.py``); its folder is made if missing."""
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    target.touch(mode=0o600, exist_ok=False)
    source = sqlite3.connect(f"file:{template}?mode=ro", uri=True)
    try:
        _backup(source, target)
    finally:
        source.close()
    return target
