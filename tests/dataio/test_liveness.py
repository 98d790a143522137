"""``dataio.liveness``: an owner names this host, process and start; ``owner_gone`` is certain
before it says yes (another host, a malformed owner, a process it cannot signal: no), and a pid
reused by a later process is told apart by its start marker."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from justicework.dataio import liveness

needs_proc = pytest.mark.skipif(not liveness.PROC.is_dir(), reason="start markers come from /proc")


def test_the_current_owner_names_this_host_and_process():
    host, pid, marker = liveness.current_owner().split("|", 2)
    assert host == socket.gethostname()[:200] and int(pid) == os.getpid()
    if liveness.PROC.is_dir():
        assert marker.count("/") == 1 and marker.split("/")[1].isdigit()


def test_this_process_is_not_gone():
    assert not liveness.owner_gone(liveness.current_owner())


@pytest.mark.parametrize(
    "owner",
    ["", "no separators", "host|not-a-pid|x", f"{socket.gethostname()}|0|", "||"],
)
def test_a_malformed_or_empty_owner_is_never_called_gone(owner):
    assert not liveness.owner_gone(owner)


def test_a_process_on_another_host_is_never_called_gone():
    assert not liveness.owner_gone(f"not-{socket.gethostname()}|1|x")


def finished_process_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_process_that_ended_is_gone_without_a_marker():
    pid = finished_process_pid()
    assert liveness.owner_gone(f"{socket.gethostname()}|{pid}|")


@needs_proc
def test_a_process_that_ended_is_gone_with_its_marker():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        owner = f"{socket.gethostname()}|{child.pid}|{liveness._start_marker(child.pid)}"
        assert not liveness.owner_gone(owner)
    finally:
        child.kill()
        child.wait()
    assert liveness.owner_gone(owner)


@needs_proc
def test_a_pid_reused_by_a_later_process_is_gone():
    owner = f"{socket.gethostname()}|{os.getpid()}|{liveness._boot_id()}/1"
    assert liveness.owner_gone(owner)


@needs_proc
def test_an_unknown_pid_has_no_start_marker():
    assert liveness._start_marker(finished_process_pid()) == ""


def test_a_live_process_of_another_user_cannot_be_told_and_is_not_gone(monkeypatch):
    def refuse(pid: int, signal: int) -> None:
        raise PermissionError

    monkeypatch.setattr(liveness.os, "kill", refuse)
    assert not liveness.owner_gone(f"{socket.gethostname()}|1|")
