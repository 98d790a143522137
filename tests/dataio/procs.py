"""Processes seen through /proc (Linux): whether one still runs, and every descendant of one,
including those re-parented after their parent died (found by a marker in their command
line, which a fork keeps)."""

from __future__ import annotations

import time
from pathlib import Path

PROC = Path("/proc")


def state(pid: int) -> str:
    """The process's state letter (R, S, D, Z, ...); "" when it is gone."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return ""
    return stat.rsplit(")", 1)[1].split()[0]


def running(pid: int) -> bool:
    """Alive and not a zombie (a zombie holds no file, no memory, no database)."""
    return state(pid) not in {"", "Z", "X"}


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for entry in PROC.glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(entry.name))
    return found


def with_marker(marker: str) -> set[int]:
    """Running processes whose command line holds ``marker``."""
    found: set[int] = set()
    for entry in PROC.glob("[0-9]*"):
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if marker in cmdline and running(int(entry.name)):
            found.add(int(entry.name))
    return found


def wait_until_gone(pids: set[int], timeout: float = 10.0) -> set[int]:
    """The pids still running after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    left = {p for p in pids if running(p)}
    while left and time.monotonic() < deadline:
        time.sleep(0.05)
        left = {p for p in left if running(p)}
    return left
