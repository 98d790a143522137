"""A throw-away JusticeWork instance for the crash test: its own data directory and database
(a SQLite file, or a fresh PostgreSQL database on the server of ``DATABASE_URL``), set up and
inspected by subprocesses (``python -c``) and watched from the test through a plain database
connection (no Django in between, so the test sees what another process would). A SQLite
instance starts from a copy of the suite's migrated database (``tests/subprocess_db.py``), on
which SETUP's ``migrate`` finds nothing to do; a PostgreSQL one is migrated by SETUP."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

from tests import subprocess_db

SETUP = """
import json
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from justicework.core import actions as core
from justicework.core.roles import Role
from justicework.dataio import actions
from tests.conftest import make_org, make_user
from tests.violations.test_import import MAPPING
org = make_org("Crash Test Rights Watch")
user = make_user("documenter@crash.test")
core.add_member(None, org, user, Role.DOCUMENTER)
actions.save_mapping(user, org, kind="violations", name="Crash", file_format="csv", spec=MAPPING)
print(json.dumps({"organisation": org.slug, "actor": user.email}))
"""

#: Marks the runs whose process has ended (what the next command or page does), then reports.
INSPECT = """
import json
import django
django.setup()
from django.db.models import Count
from justicework.dataio import actions
from justicework.dataio.models import ImportedRow, ImportRun
from justicework.violations.models import Incident, Person, Violation
marked = actions.fail_stale_runs()
runs = list(ImportRun.objects.order_by("id").values(
    "id", "status", "mode", "created_rows", "skipped_rows", "processed_rows", "problem"))
rows = ImportedRow.objects.filter(kind="violations")
keys = dict(rows.values_list("run_id").annotate(n=Count("id")))
print(json.dumps({
    "marked": marked,
    "runs": runs,
    "keys_by_run": {str(k): v for k, v in keys.items()},
    "keys": rows.count(),
    "violations": Violation.objects.count(),
    "persons": Person.objects.count(),
    "incidents": Incident.objects.count(),
    "duplicate_incidents": Incident.objects.values("title").annotate(n=Count("id"))
        .filter(n__gt=1).count(),
}, default=str))
"""

#: The real command line, with smaller chunks (more chunk boundaries in a small file).
CLI = (
    "import os, django; django.setup(); from justicework.dataio import engine; "
    "engine.CHUNK_SIZE = int(os.environ['CRASH_CHUNK_SIZE']); "
    "from justicework.cli import main; main()"
)


class Instance:
    def __init__(self, root: Path, chunk_size: int, migrated: Path | None) -> None:
        """``migrated``: the migrated SQLite file to start from (unused on PostgreSQL)."""
        self.root = root
        base = os.environ.get("DATABASE_URL", "")
        self.postgres = base.startswith(("postgres://", "postgresql://"))
        data = root / "data"
        data.mkdir(mode=0o700)
        if self.postgres:
            self.dbname = f"crash_{uuid.uuid4().hex[:12]}"
            self.server = urlparse(base)
            self.url = urlunparse(self.server._replace(path=f"/{self.dbname}"))
            self._admin(f'CREATE DATABASE "{self.dbname}"')
        else:
            assert migrated is not None, "a SQLite instance starts from the migrated template"
            self.url = f"sqlite:///{subprocess_db.copy(migrated, data / 'crash.sqlite3')}"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "justicework.settings_test",
            "JUSTICEWORK_DATA_DIR": str(data),
            "DATABASE_URL": self.url,
            "CRASH_CHUNK_SIZE": str(chunk_size),
        }
        self.who = json.loads(self.python(SETUP))

    def _admin(self, sql: str) -> None:
        import psycopg

        url = urlunparse(self.server._replace(path="/postgres"))
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(sql)

    def close(self) -> None:
        if self.postgres:
            self._admin(f'DROP DATABASE IF EXISTS "{self.dbname}" WITH (FORCE)')

    def python(self, code: str, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", code, *args],
            env=self.env, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def inspect(self) -> dict[str, Any]:
        result: dict[str, Any] = json.loads(self.python(INSPECT))
        return result

    def start_import(self, path: Path, *extra: str) -> subprocess.Popen[str]:
        args = [
            "import", "violations", str(path), "--organisation", self.who["organisation"],
            "--as", self.who["actor"], "--mapping", "Crash", *extra,
        ]  # fmt: skip
        return subprocess.Popen(
            [sys.executable, "-c", CLI, *args],
            env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip

    def running_run(self) -> tuple[int, int] | None:
        """(id, processed rows) of the newest run being committed, as another process sees."""
        query = (
            "SELECT id, processed_rows FROM dataio_importrun WHERE status = 'committing' "
            "ORDER BY id DESC LIMIT 1"
        )
        if self.postgres:
            import psycopg

            with psycopg.connect(self.url, autocommit=True) as connection:
                row = connection.execute(query).fetchone()
        else:
            connection = sqlite3.connect(self.url.removeprefix("sqlite:///"), timeout=20)
            try:
                row = connection.execute(query).fetchone()
            except sqlite3.OperationalError:  # no table yet
                row = None
            finally:
                connection.close()
        return (int(row[0]), int(row[1])) if row else None
