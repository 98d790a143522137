"""Other JusticeWork instances, run as `justicework` subprocesses (their own data directory and
database, the test keys), so a backup crosses engines and a restore can be killed. A new
instance's database is a copy of the suite's migrated SQLite file (``tests/subprocess_db.py``),
the state ``justicework migrate`` leaves."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import justicework
from tests import subprocess_db

SOURCE = Path(justicework.__file__).resolve().parents[1]  # src/
ROOT = SOURCE.parent


def environment(data_dir: Path, database_url: str | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "JUSTICEWORK_DATA_DIR": str(data_dir),
            "DATABASE_URL": database_url or f"sqlite:///{data_dir / 'justicework.sqlite3'}",
            "DJANGO_SETTINGS_MODULE": "justicework.settings_test",  # the test keys, small demo
            "PYTHONPATH": os.pathsep.join([str(SOURCE), str(ROOT)]),
        }
    )
    return env


def command(*args: str) -> list[str]:
    return [sys.executable, "-c", "from justicework.cli import main; main()", *args]


def run(data_dir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    data_dir.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        command(*args),
        env=environment(data_dir),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if check and done.returncode != 0:
        raise AssertionError(f"justicework {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


def start(data_dir: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        command(*args),
        env=environment(data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def migrated(data_dir: Path, template: Path) -> Path:
    """A new, migrated SQLite instance in ``data_dir``: the migrated ``template`` copied."""
    data_dir.mkdir(parents=True, exist_ok=True)
    subprocess_db.copy(template, data_dir / "justicework.sqlite3")
    return data_dir


def sqlite_demo_backup(data_dir: Path, out: Path, template: Path) -> Path:
    """A new SQLite instance with the (small) demo and an uploaded file, backed up to ``out``."""
    migrated(data_dir, template)
    run(data_dir, "demo")
    media = data_dir / "files" / "evidence"
    media.mkdir(parents=True)
    (media / "scan.bin").write_bytes(bytes(range(256)) * 800)
    run(data_dir, "backup", str(out))
    return out
