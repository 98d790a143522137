"""Which process runs an import, and whether it still does.

A run being checked or committed records its *owner*: ``host|pid|start`` where ``start``
tells this process apart from a later one given the same pid (Linux: the boot id and the
process's start time in clock ticks since boot, from ``/proc``). After a ``kill -9`` (or a
crash, or a power cut) nobody marks the run stopped; :func:`owner_gone` tells that its
process is gone, and ``actions.fail_stale_runs`` marks it failed (and resumable).
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

PROC = Path("/proc")


def _boot_id() -> str:
    try:
        return (PROC / "sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""


def _start_ticks(pid: int) -> str:
    """The process's start time (field 22 of ``/proc/PID/stat``); "" when unknown or gone."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return ""
    fields = stat.rsplit(")", 1)[1].split()
    if fields[0] in {"Z", "X"}:  # a zombie: it has ended
        return ""
    return fields[19]


def _start_marker(pid: int) -> str:
    ticks = _start_ticks(pid)
    return f"{_boot_id()}/{ticks}" if ticks else ""


def current_owner() -> str:
    """This process, as stored on a run it works on."""
    return f"{socket.gethostname()}|{os.getpid()}|{_start_marker(os.getpid())}"[:200]


def owner_gone(owner: str) -> bool:
    """Whether the process ``owner`` names has certainly ended. False when it cannot be told:
    an owner on another host, an empty or malformed owner (runs from before owners were
    recorded)."""
    try:
        host, pid_text, marker = owner.split("|", 2)
        pid = int(pid_text)
    except ValueError:
        return False
    if host != socket.gethostname() or pid <= 0:
        return False
    if marker and PROC.is_dir():
        return _start_marker(pid) != marker  # gone, a zombie, or its pid reused since
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # a process of another user holds the pid: cannot tell
        return False
    return False
