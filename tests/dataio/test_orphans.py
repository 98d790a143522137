"""The forked preparing process ends when its parent dies (issue 9, finding 9): after a
``kill -9`` of the importing process it must not live on, re-parented, holding the database,
its WAL and the source file open."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid

import pytest

from . import procs

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc (the mechanism is not Linux-only)"
)

#: A parent that forks the preparing process, which prepares far more than the pipe holds
#: (so it blocks writing), prints the child's pid and then never reads.
SCRIPT = """
import os, sys, time
import django
django.setup()
from justicework.dataio import ahead
if sys.argv[1] == "lifeline-only":
    ahead._kill_me_with_parent = lambda: None
def make():
    while True:
        yield (["x" * 1000] * 1000, [], 1000)
chunks = ahead.ChunksAhead(make, ahead.fork_context())
print(chunks.pid, flush=True)
time.sleep(600)
"""


@pytest.mark.parametrize("mechanism", ["pdeathsig", "lifeline-only"])
def test_the_preparing_process_ends_when_its_parent_is_killed(mechanism):
    marker = f"orphan-test-{uuid.uuid4().hex}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "justicework.settings_test"}
    parent = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, mechanism, marker],
        stdout=subprocess.PIPE,
        env=env,
        text=True,
    )
    try:
        child = int(parent.stdout.readline())
        assert procs.running(child)
        assert procs.with_marker(marker) == {parent.pid, child}
        time.sleep(0.3)  # the child fills the pipe and blocks writing
        assert procs.running(child)
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        assert procs.wait_until_gone({child}, timeout=10) == set()
        assert procs.with_marker(marker) == set()
    finally:
        parent.kill()
        parent.wait()
        for pid in procs.with_marker(marker):
            os.kill(pid, signal.SIGKILL)
