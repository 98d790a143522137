"""`kill -9` during a verification (issue 12: "A process killed at any moment of an upload, a
package export or a verification leaves no half-written original, no record pointing at a
missing file").

(a) ``justicework evidence verify FILE.zip`` is a reader: killed at random moments it leaves
nothing written anywhere (no file added or changed under the data directory or beside the
package, no row in any table, the audit log as it was), and a re-run gives the right verdict
(VALID for the package, INVALID for a tampered copy).

(b) The verification acts on an item (``actions.verification``: a finding, which may move the
status, and status changes) run in a loop by a real process that is killed at random
moments. After each kill the change is whole or absent: each finding has its custody entry,
the item's status is the one its last custody "status" entry states, each custody entry has
its audit entry, the custody chain verifies and so does the audit chain.

    .venv/bin/python -m pytest -q -s tests/evidence/test_crash_verify.py
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
from typing import Any

import pytest

from tests import subprocess_db

pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SIGKILL"),
    subprocess_db.sqlite_pass_only,
]

FILES = 3
SIZE = 3 * 1024 * 1024 + 5
KILLS = 6  # of the verification acts
#: Kills of ``evidence verify``, each at a random moment of its share of the run (from "ready"
#: to the verdict, 0.9 of it): the valid package and the tampered copy, each in the first and
#: in the second half. A reader killed anywhere must leave the same thing (nothing written), so
#: four moments spread over both packages and both halves test what six drawn over the whole
#: run did.
VERIFY_KILLS = [(False, 0.0, 0.45), (True, 0.0, 0.45), (False, 0.45, 0.9), (True, 0.45, 0.9)]
REPO = Path(__file__).resolve().parents[2]
SEED = int(os.environ.get("JUSTICEWORK_CRASH_SEED", "12"))

SETUP = """
import json, os, random, django
from pathlib import Path
django.setup()
from justicework.core import actions as core
from justicework.core.roles import Role
from justicework.core import uses
from justicework.evidence.actions import packages
from tests.conftest import make_org, make_user
from tests.evidence.conftest import upload_file
USE = uses.using("evidence.package")
USE.__enter__()  # as the page, command or task runs; kept in USE, or it ends at once
org = make_org("Crash Verify Watch")
user = make_user("documenter@crash.test")
core.add_member(None, org, user, Role.DOCUMENTER)
analyst = make_user("analyst@crash.test")
core.add_member(None, org, analyst, Role.LEGAL_ANALYST)
rng = random.Random(int(os.environ["SEED"]))
items = [upload_file(user, org, rng.randbytes(int(os.environ["SIZE"])), filename=f"{n}.bin")
         for n in range(int(os.environ["FILES"]))]
out = Path(os.environ["PACKAGE"])
packages.package_items(user, org, items, out)
print(json.dumps({"items": [item.pk for item in items]}))
"""

VERIFY = """
import sys, time, django
django.setup()
from django.core.management import call_command
from justicework.evidence.packages import verify
verify.BUFFER = 16 * 1024  # many small reads: more moments to be killed in
print("ready", flush=True)
started = time.monotonic()
try:
    call_command("evidence", "verify", sys.argv[1])
finally:
    print("took", time.monotonic() - started, file=sys.stderr)
"""

ACTS = """
import itertools, sys, django
django.setup()
from justicework.core import uses
from justicework.core.models import User
from justicework.evidence.actions import record_finding, set_status
from justicework.evidence.models import Item
USE = uses.using("evidence.records")
USE.__enter__()  # as the page, command or task runs; kept in USE, or it ends at once
analyst = User.objects.get(email="analyst@crash.test")
item = Item.objects.get(pk=int(sys.argv[1]))
print("ready", flush=True)
for n in itertools.count():
    item.refresh_from_db()
    if item.status in ("unverified", "verified", "disputed") and n % 3 == 0:
        record_finding(analyst, item, level="item", text=f"finding {n}", confidence="medium")
    elif item.status == "in_review":
        set_status(analyst, item, "verified" if n % 2 else "disputed", note=f"step {n}")
    else:
        set_status(analyst, item, "in_review")
"""

CHECK = """
import json, sys, django
django.setup()
from justicework.audit.models import AuditEntry
from justicework.audit.verify import verify_chain
from justicework.evidence import custody
from justicework.evidence.models import CustodyEntry, Finding, Item
item = Item.objects.get(pk=int(sys.argv[1]))
entries = list(CustodyEntry.objects.filter(item=item).order_by("seq"))
verified = [e for e in entries if e.event == "verified"]
statuses = [e.detail["to"] for e in verified if e.detail["act"] == "status"]
finding_entries = [e.detail["finding"] for e in verified if e.detail["act"] == "finding"]
audited = AuditEntry.objects.filter(action="evidence.custody.verified").count()
print(json.dumps({
    "custody_problems": custody.problems(entries),
    "findings": sorted(Finding.objects.filter(item=item).values_list("pk", flat=True)),
    "finding_entries": sorted(finding_entries),
    "status": item.status, "custody_status": statuses[-1] if statuses else "unverified",
    "verified_entries": len(verified), "audited": audited, "audit_ok": verify_chain().ok,
}))
"""


class Vault:
    def __init__(self, root: Path, migrated: Path) -> None:
        self.data = root / "data"
        self.data.mkdir()
        self.db = subprocess_db.copy(migrated, self.data / "crash.sqlite3")
        self.package = root / "out" / "package.zip"
        self.package.parent.mkdir()
        self.env = {
            **os.environ, "DJANGO_SETTINGS_MODULE": "justicework.settings_test",
            "JUSTICEWORK_DATA_DIR": str(self.data), "DATABASE_URL": f"sqlite:///{self.db}",
            "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)]),
            "SEED": str(SEED), "SIZE": str(SIZE), "FILES": str(FILES),
            "PACKAGE": str(self.package),
        }  # fmt: skip
        self.items = json.loads(self.run(SETUP).stdout.strip().splitlines()[-1])["items"]

    def run(self, script: str, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [sys.executable, "-c", script, *args], env=self.env, capture_output=True,
            text=True, timeout=300, check=False,
        )  # fmt: skip
        if ok:
            assert done.returncode == 0, done.stderr[-3000:]
        return done

    def kill_at_random(
        self, script: str, arg: str, rng: random.Random, most: float, least: float = 0.0
    ) -> None:
        """Start ``script``, wait until it is ready, kill it ``least..most`` seconds later."""
        worker = subprocess.Popen(
            [sys.executable, "-c", script, arg], env=self.env,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert worker.stdout is not None
        assert worker.stdout.readline().strip() == "ready", worker.stderr
        time.sleep(rng.uniform(least, most))
        assert worker.poll() is None, "it ended before the kill"
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)

    def snapshot(self) -> tuple[dict[str, Any], dict[str, int]]:
        """Every file (but the database's own) with its size and time, and every table's
        rows, as another process reads them."""
        files: dict[str, Any] = {}
        for root in (self.data, self.package.parent):
            for path in sorted(root.rglob("*")):
                if path.is_file() and not path.name.startswith(self.db.name):
                    stat = path.stat()
                    files[str(path)] = (stat.st_size, stat.st_mtime_ns)
        with sqlite3.connect(self.db) as connection:
            tables = [row[0] for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
            )]  # fmt: skip
            rows = {
                table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
                for table in tables
            }
        return files, rows


def _tampered(package: Path) -> Path:
    target = package.with_name("tampered.zip")
    data = bytearray(package.read_bytes())
    data[len(data) // 3] ^= 0xFF  # inside the first file's bytes
    target.write_bytes(bytes(data))
    return target


def test_kill_9_during_a_package_verification_writes_nothing(tmp_path, migrated_sqlite):
    rng = random.Random(SEED)
    vault = Vault(tmp_path, migrated_sqlite)
    tampered = _tampered(vault.package)
    first = vault.run(VERIFY, str(vault.package))
    assert "VALID" in first.stdout
    took = float(first.stderr.strip().splitlines()[-1].split()[-1])  # from "ready" to the verdict
    before = vault.snapshot()
    for kill, (use_tampered, start, end) in enumerate(VERIFY_KILLS):
        target = tampered if use_tampered else vault.package
        vault.kill_at_random(VERIFY, str(target), rng, took * end, least=took * start)
        assert vault.snapshot() == before, f"kill {kill} left something written"
    valid = vault.run(VERIFY, str(vault.package))
    assert (
        valid.stdout.strip()
        .splitlines()[-1]
        .startswith(f"VALID: {FILES} file(s), {FILES * SIZE} bytes checked")
    )
    invalid = vault.run(VERIFY, str(tampered), ok=False)
    assert invalid.returncode == 1 and "INVALID" in invalid.stdout
    assert vault.snapshot() == before
    print(f"{len(VERIFY_KILLS)} kills of a verification ({took:.2f} s whole) left nothing written")


def _whole_or_absent(state: dict[str, Any]) -> None:
    assert state["custody_problems"] == []
    assert state["findings"] == state["finding_entries"]
    assert state["status"] == state["custody_status"]
    assert state["audited"] == state["verified_entries"]
    assert state["audit_ok"]


def test_kill_9_during_verification_acts_leaves_each_change_whole_or_absent(
    tmp_path, migrated_sqlite
):
    rng = random.Random(SEED + 1)
    vault = Vault(tmp_path, migrated_sqlite)
    item = str(vault.items[0])
    seen = 0
    for kill in range(KILLS):
        vault.kill_at_random(ACTS, item, rng, 0.2 + kill * 0.1)
        state = json.loads(vault.run(CHECK, item).stdout.strip().splitlines()[-1])
        _whole_or_absent(state)
        assert state["verified_entries"] >= seen  # acts went on between the kills
        seen = state["verified_entries"]
    assert seen > KILLS, "too few acts ran between the kills to test anything"
    print(f"{KILLS} kills of verification acts; {seen} whole acts recorded, none half")
