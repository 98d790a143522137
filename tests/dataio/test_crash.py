"""`kill -9` of a real import at random points (issue 9, "Crash"): after each kill no process
of the import is left (its forked preparing process included, re-parented or not), the run
is marked failed and resumable with its true counts, nothing is duplicated; resuming completes
with true counts. Runs on the engine of ``DATABASE_URL`` (SQLite by default, PostgreSQL in
CI's second pass), on a throw-away instance of its own.

    .venv/bin/python -m pytest -q -s tests/dataio/test_crash.py   # prints "kills survived"
"""

from __future__ import annotations

import os
import random
import signal
import sys
import time
import uuid

import pytest

from tests.violations.test_import import csv_file, row

from . import procs
from .crash_instance import Instance

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="finds orphaned processes through /proc"
)

#: An all-or-nothing import of ATOMIC_ROWS rows is killed once; a resumable one of ROWS rows,
#: in chunks of CHUNK, is killed and resumed KILL_POINTS - 1 times.
ATOMIC_ROWS = 2000
ROWS = 4000
CHUNK = 400
CASE_SIZE = 10  # rows per incident (CHUNK is a multiple: chunks hold whole incidents)
KILL_POINTS = 5
#: JUSTICEWORK_CRASH_SEED picks other kill points (the suite always uses the same ones).
SEED = int(os.environ.get("JUSTICEWORK_CRASH_SEED", "9"))


@pytest.fixture
def instance(tmp_path, request):
    on_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
    migrated = None if on_postgres else request.getfixturevalue("migrated_sqlite")
    made = Instance(tmp_path, CHUNK, migrated)
    yield made
    made.close()


def _kill_when_due(instance, process, rng, atomic):
    """Wait for a random point of the import, then SIGKILL it. Returns the pids of the
    import's processes seen just before the kill, or None if it ended before the point."""
    target = 0 if atomic else rng.randrange(0, ROWS - 3 * CHUNK, CHUNK)
    extra = rng.uniform(0.05, 0.5) if atomic else rng.uniform(0.0, 0.1)
    deadline = time.monotonic() + 40
    while process.poll() is None:
        assert time.monotonic() < deadline, "the import never reached its kill point"
        running = instance.running_run()
        if running is not None and running[1] >= target:
            time.sleep(extra)
            break
        time.sleep(0.02)
    seen = {process.pid, *procs.children(process.pid)}
    if process.poll() is not None:
        return None
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    return seen


def _check_consistent(state):
    """No duplicates, every committed row has its key, no run left "running", every run's
    count of created rows is what it committed."""
    assert state["duplicate_incidents"] == 0
    assert state["violations"] == state["keys"] == state["persons"]
    assert state["incidents"] == state["violations"] // CASE_SIZE
    assert not [r for r in state["runs"] if r["status"] in {"committing", "validating"}]
    for run in state["runs"]:
        assert run["created_rows"] == state["keys_by_run"].get(str(run["id"]), 0), run


def _kill_once(instance, process, rng, marker, atomic, forked):
    """Kill the import at a random point and check what it left. True if the kill landed
    while the import was still working (a kill survived). ``forked`` collects the pids of
    the preparing processes that were running at the kill."""
    seen = _kill_when_due(instance, process, rng, atomic)
    if seen is None:  # it ended before its kill point
        return False
    forked.update(seen - {process.pid})
    assert procs.wait_until_gone(seen | procs.with_marker(marker), timeout=10) == set()
    state = instance.inspect()
    _check_consistent(state)
    killed = state["runs"][-1]
    if killed["status"] == "committed":  # killed after its last write
        return False
    assert state["marked"] == 1, state
    assert killed["status"] == "failed", killed
    assert "Run it again to resume" in killed["problem"]
    if atomic:
        assert killed["created_rows"] == 0 and state["keys"] == 0  # all or nothing
    return True


def test_kill_9_at_random_points_then_resume(instance, tmp_path, record_property):
    rng = random.Random(SEED)
    marker = f"crash-{uuid.uuid4().hex}"
    started = time.monotonic()
    atomic_file = csv_file(
        tmp_path,
        [row(n, case=f"A{n // CASE_SIZE}") for n in range(10_000, 10_000 + ATOMIC_ROWS)],
        name=f"{marker}-atomic.csv",
    )
    resumable_file = csv_file(
        tmp_path, [row(n, case=f"C{n // CASE_SIZE}") for n in range(ROWS)], name=f"{marker}.csv"
    )
    process = instance.start_import(atomic_file, "--mode", "atomic")
    forked: set[int] = set()
    survived = int(_kill_once(instance, process, rng, marker, True, forked))
    for _point in range(KILL_POINTS - 1):
        process = instance.start_import(resumable_file, "--mode", "resumable", "--resume")
        survived += _kill_once(instance, process, rng, marker, False, forked)
    for path, rows in [(resumable_file, ROWS), (atomic_file, ATOMIC_ROWS)]:
        process = instance.start_import(path, "--mode", "resumable", "--resume")
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err[-3000:]
        assert "Resuming import #" in err
        state = instance.inspect()
        final = state["runs"][-1] if path == resumable_file else state["runs"][0]
        assert final["status"] == "committed"
        assert final["processed_rows"] == rows
        assert final["created_rows"] + final["skipped_rows"] == rows
        assert f"{rows:,} rows, {final['created_rows']:,} created" in out
        _check_consistent(state)
    assert state["violations"] == ROWS + ATOMIC_ROWS
    assert len(state["runs"]) == 2  # every attempt resumed its run
    assert procs.with_marker(marker) == set()
    assert survived >= KILL_POINTS - 1, f"only {survived} of {KILL_POINTS} kills landed"
    assert forked, "no kill found a preparing process to orphan"
    record_property("kills_survived", survived)
    engine = instance.url.split(":")[0]
    print(
        f"\nkills survived: {survived} of {KILL_POINTS} points ({engine}, "
        f"{len(forked)} preparing processes killed with them, {time.monotonic() - started:.0f} s)"
    )
