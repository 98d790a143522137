"""Private files: what the platform writes is readable by its own user only.

Every entry point (``justicework`` commands including the worker, ``wsgi.py``, ``asgi.py``,
``python -m justicework.keyfiles``) calls :func:`restrict_umask` first, so the data directory
is created 0700 and every file in it 0600: the SQLite database and its WAL and SHM (SQLite gives
them the database file's mode), uploads, key files, the file cache. ``FILE_UPLOAD_PERMISSIONS``
(settings) keeps Django's storage from setting 0644 on saved files whatever the umask.

:func:`exposed_paths` finds what group or others can still read, write or enter (a directory
made before this, a file copied in by hand); ``justicework keys check`` lists them and the
start-up check logs a warning. Only ``STATIC_ROOT`` (public assets) is exempt.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

UMASK = 0o077
#: Permission bits for group and others: any of them set is an exposure.
OTHERS = 0o077
#: Entries looked at by the start-up check (``keys check`` looks at all of them).
STARTUP_LIMIT = 5000
#: Environment variables that may name key files outside the data directory.
KEY_FILE_VARIABLES = (
    "JUSTICEWORK_MASTER_KEY_FILE",
    "JUSTICEWORK_SECRET_KEY_FILE",
    "JUSTICEWORK_OLD_MASTER_KEYS_FILE",
)

logger = logging.getLogger("justicework.security")


def restrict_umask() -> int:
    """New files 0600 and directories 0700 from now on in this process; returns the old mask."""
    return os.umask(UMASK)


@dataclass(frozen=True)
class Exposure:
    path: Path
    mode: int

    def describe(self) -> str:
        kind = "directory" if stat.S_ISDIR(self.mode) else "file"
        return f"{self.path} ({kind}, mode {stat.S_IMODE(self.mode):04o})"


def _walk(root: Path, exempt: set[Path]) -> Iterator[tuple[Path, os.stat_result]]:
    """``root`` and everything under it (symbolic links are not followed; exempt trees are
    skipped)."""
    try:
        yield root, root.lstat()
    except FileNotFoundError:
        return
    stack = [root]
    while stack:
        current = stack.pop()
        try:
            entries = list(os.scandir(current))
        except (PermissionError, NotADirectoryError, FileNotFoundError):
            continue
        for entry in entries:
            path = Path(entry.path)
            if path in exempt:
                continue
            try:
                info = entry.stat(follow_symlinks=False)
            except FileNotFoundError:
                continue
            yield path, info
            if stat.S_ISDIR(info.st_mode):
                stack.append(path)


def sensitive_files_outside(data_dir: Path) -> list[Path]:
    """Key files and the SQLite database (with its WAL and SHM) when they live elsewhere."""
    paths = [Path(os.environ[name]) for name in KEY_FILE_VARIABLES if os.environ.get(name)]
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3" and str(database["NAME"]) != ":memory:":
        name = Path(str(database["NAME"]))
        paths += [name, Path(f"{name}-wal"), Path(f"{name}-shm")]
    resolved = data_dir.resolve()
    return [p for p in paths if p.exists() and resolved not in p.resolve().parents]


def exposed_paths(data_dir: Path | None = None, limit: int | None = None) -> list[Exposure]:
    """Entries of the data directory (and key or database files kept elsewhere) that group or
    others may read, write or enter. ``limit`` bounds how many entries are looked at."""
    data_dir = Path(data_dir or settings.DATA_DIR)
    exempt = {Path(settings.STATIC_ROOT)}
    found = []
    for seen, (path, info) in enumerate(_walk(data_dir, exempt), start=1):
        if limit is not None and seen > limit:
            break
        if not stat.S_ISLNK(info.st_mode) and info.st_mode & OTHERS:
            found.append(Exposure(path, info.st_mode))
    for path in sensitive_files_outside(data_dir):
        mode = path.stat().st_mode
        if mode & OTHERS:
            found.append(Exposure(path, mode))
    return found


def advice(exposures: list[Exposure], shown: int = 10) -> list[str]:
    """Lines telling the operator what is exposed and how to fix it."""
    lines = [
        f"{len(exposures)} paths in or of the data directory are open to group or others "
        "(identities, keys and uploads must be readable by the service user only):"
    ]
    lines += [f"  {e.describe()}" for e in exposures[:shown]]
    if len(exposures) > shown:
        lines.append(f"  ... and {len(exposures) - shown} more")
    lines.append(
        f"Fix: chmod -R go-rwx {settings.DATA_DIR} (and any key or database file listed "
        "outside it)."
    )
    return lines


def warn_if_exposed() -> list[Exposure]:
    """The start-up check: log a warning when something is exposed (never stop the server)."""
    exposures = exposed_paths(limit=STARTUP_LIMIT)
    if exposures:
        logger.warning("\n".join(advice(exposures)))
    return exposures
