"""Originals on the local file system, under ``JUSTICEWORK_DATA_DIR/evidence``.

* ``originals/ab/cd/<sha256>`` — content-addressed, written once, read-only (mode 0440). A
  file arrives by a hard link from a whole, fsynced file in the same file system (the link is
  atomic and refuses to replace an existing name), or by a temporary file in the target's
  directory, fsynced and renamed; either way a crash leaves no original or a whole one, and
  the directory is fsynced after the new name.
* ``sealed/<organisation id>/ab/cd/<sha256>`` — the same, encrypted under that organisation's
  data key (``storage.sealing``; when ``EVIDENCE_ENCRYPT`` is on).
* ``uploads/<upload id>.part`` — the bytes of a tus upload in progress.

Every method that names an original takes its key (``Original.storage_key``) or, for a plain
original, its SHA-256 (``key_for`` makes the key): the interface of ``storage.s3`` too.

The same bytes twice are stored once: ``put_once`` answers False when the original is there
already, and the caller drops its copy.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path
from typing import BinaryIO
from uuid import UUID

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_KEY = re.compile(
    r"^(originals/[0-9a-f]{2}/[0-9a-f]{2}/|sealed/[1-9][0-9]{0,18}/[0-9a-f]{2}/[0-9a-f]{2}/)"
    r"[0-9a-f]{64}$"
)


def key_for(sha256: str, vault: int | None = None) -> str:
    """The key of the original ``sha256``: plain, or sealed for the organisation ``vault``."""
    if not _SHA256.match(sha256):
        raise ValueError("not a SHA-256 in lower-case hexadecimal")
    prefix = "originals" if vault is None else f"sealed/{int(vault)}"
    return f"{prefix}/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def as_key(name: str) -> str:
    """``name`` (a key, or a plain original's SHA-256) as a checked key."""
    if _SHA256.match(name):
        return key_for(name)
    if not _KEY.match(name):
        raise ValueError(f"not a key of an original: {name!r}")
    return name


def _fsync_dir(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


class LocalStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    # --- originals ---------------------------------------------------------------------------

    backend = "local"
    key_for = staticmethod(key_for)

    def path_for(self, name: str) -> Path:
        return self.root / as_key(name)

    def exists(self, name: str) -> bool:
        return self.path_for(name).is_file()

    def size(self, name: str) -> int:
        """The stored size (of the ciphertext, for a sealed original)."""
        return self.path_for(name).stat().st_size

    def open(self, name: str) -> BinaryIO:
        return self.path_for(name).open("rb")

    def retention(self, name: str) -> tuple[str, dt.datetime | None]:
        """(object-lock mode, retained until) of a stored original: none on local files."""
        return "", None

    def put_once(self, name: str, source: Path) -> bool:
        """Store the whole, fsynced file ``source`` as the original ``name``. False (and
        nothing written) when that original is stored already. ``source`` is left in place."""
        target = self.path_for(name)
        if target.exists():
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except FileExistsError:
            return False
        except OSError:  # another file system, or no hard links: copy, fsync, rename
            temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            with source.open("rb") as reading, temporary.open("wb") as writing:
                shutil.copyfileobj(reading, writing, 1 << 20)
                writing.flush()
                os.fsync(writing.fileno())
            if target.exists():
                temporary.unlink()
                return False
            os.replace(temporary, target)
        os.chmod(target, 0o440)
        _fsync_dir(target.parent)
        return True

    # --- uploads in progress -----------------------------------------------------------------

    def part_path(self, upload_id: UUID) -> Path:
        path = self.root / "uploads" / f"{upload_id.hex}.part"
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def discard_part(self, upload_id: UUID) -> None:
        part = self.part_path(upload_id)
        part.unlink(missing_ok=True)
        part.with_suffix(".sealed").unlink(missing_ok=True)  # left by a crash while sealing
