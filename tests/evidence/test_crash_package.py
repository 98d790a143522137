"""`kill -9` of the task worker at random points of a web package's build, then a re-run.

A real process (its own data directory and SQLite database) builds a package asked for on the
web, the way the task worker does (``actions.packages.build_requested``), copying the files in
small pieces so there are many moments to be killed in. It is killed (SIGKILL) several times
half-way through the copy and at random moments. After each kill: the package's record is not
"ready", no ZIP sits under the package's name unless it is a whole package that verifies, and
no item has an "exported" custody entry. A last run, not killed, finishes: the record is ready,
the ZIP verifies, each item has exactly one "exported" entry, and no partial file is left.

    .venv/bin/python -m pytest -q -s tests/evidence/test_crash_package.py
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from justicework.evidence.packages import verify
from tests import subprocess_db

pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SIGKILL"),
    subprocess_db.sqlite_pass_only,
]

FILES = 3
SIZE = 4 * 1024 * 1024 + 7
KILLS = 4
REPO = Path(__file__).resolve().parents[2]
SEED = int(os.environ.get("JUSTICEWORK_CRASH_SEED", "12"))

SETUP = """
import json, os, random, django
django.setup()
from justicework.core import actions as core
from justicework.core.roles import Role
from justicework.evidence.models import Package
from tests.conftest import make_org, make_user
from tests.evidence.conftest import upload_file
org = make_org("Crash Package Watch")
user = make_user("documenter@crash.test")
core.add_member(None, org, user, Role.DOCUMENTER)
rng = random.Random(int(os.environ["SEED"]))
items = [upload_file(user, org, rng.randbytes(int(os.environ["SIZE"])), filename=f"{n}.bin")
         for n in range(int(os.environ["FILES"]))]
package = Package.objects.create(organisation=org, requester=user,
                                 item_ids=[item.pk for item in items])
print(json.dumps({"package": str(package.pk), "items": [item.pk for item in items]}))
"""

WORKER = """
import sys, django
django.setup()
from justicework.core import uses
from justicework.evidence.actions import packages
from justicework.evidence.models import Package
from justicework.evidence.packages import build
USE = uses.using("evidence.package")
USE.__enter__()  # as the page, command or task runs; kept in USE, or it ends at once
build.BUFFER = 32 * 1024  # many small writes: more moments to be killed in
package = Package.objects.select_related("requester", "organisation").get(pk=sys.argv[1])
packages.build_requested(package, lambda done, total: None)
print("built")
"""


class Vault:
    def __init__(self, root: Path, migrated: Path) -> None:
        data = root / "data"
        data.mkdir()
        self.db = subprocess_db.copy(migrated, data / "crash.sqlite3")
        self.packages = data / "evidence" / "packages"
        self.env = {
            **os.environ, "DJANGO_SETTINGS_MODULE": "justicework.settings_test",
            "JUSTICEWORK_DATA_DIR": str(data), "DATABASE_URL": f"sqlite:///{self.db}",
            "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)]),
            "SEED": str(SEED), "SIZE": str(SIZE), "FILES": str(FILES),
        }  # fmt: skip
        done = subprocess.run(
            [sys.executable, "-c", SETUP], env=self.env, capture_output=True, text=True,
            timeout=180, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-3000:]
        made = json.loads(done.stdout.strip().splitlines()[-1])
        self.package, self.items = made["package"], made["items"]
        self.target = self.packages / f"{self.package}.zip"

    def start(self) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, "-c", WORKER, self.package], env=self.env,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip

    def state(self) -> tuple[str, int]:
        """The package's status and the number of "exported" custody entries, read as
        another process would."""
        with sqlite3.connect(self.db) as connection:
            status = connection.execute(
                "SELECT status FROM evidence_package WHERE id = ?", [self.package.replace("-", "")]
            ).fetchone()[0]
            exported = connection.execute(
                "SELECT count(*) FROM evidence_custodyentry WHERE event = 'exported'"
            ).fetchone()[0]
        return str(status), int(exported)

    def partials(self) -> list[Path]:
        return sorted(self.packages.glob("*.partial")) if self.packages.is_dir() else []


def _kill_mid_copy(vault: Vault, rng: random.Random) -> None:
    """Start a build and kill it once its partial ZIP holds a random share of the files."""
    worker = vault.start()
    goal = rng.randrange(SIZE // 4, FILES * SIZE - SIZE // 4)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        sizes = [p.stat().st_size for p in vault.partials() if p.exists()]
        if sizes and max(sizes) >= goal:
            break
        assert worker.poll() is None, worker.stderr.read().decode()[-2000:] if worker.stderr else ""
        time.sleep(0.002)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)


def _kill_at_random(vault: Vault, rng: random.Random) -> None:
    """Kill at a random moment of the start (loading Django, selecting the items, opening the
    partial ZIP): well before a build of this size can finish."""
    worker = vault.start()
    time.sleep(rng.uniform(0.05, 0.5))
    assert worker.poll() is None, "the build ended before the kill"
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)


def _nothing_half_done(vault: Vault) -> None:
    status, exported = vault.state()
    assert status == "queued" and exported == 0, (status, exported)
    if vault.target.exists():  # only a whole package may carry the package's name
        assert verify.verify(str(vault.target)).ok


def test_kill_9_during_a_package_build_then_rerun(tmp_path, migrated_sqlite):
    rng = random.Random(SEED)
    vault = Vault(tmp_path, migrated_sqlite)
    for kill in range(KILLS):
        (_kill_mid_copy if kill % 2 == 0 else _kill_at_random)(vault, rng)
        _nothing_half_done(vault)
    worker = vault.start()
    output, err = worker.communicate(timeout=300)
    assert b"built" in output
    assert worker.returncode == 0, err.decode()[-3000:]
    assert vault.state() == ("ready", FILES)
    report = verify.verify(str(vault.target))
    assert report.ok, report.problems
    assert report.files_checked == FILES and report.bytes_checked == FILES * SIZE
    assert vault.partials() == []
    print(f"{KILLS} kills survived; the re-run built a package of {report.bytes_checked} bytes")
