"""Originals on the local file system, under ``JUSTICEWORK_DATA_DIR/evidence``.

* ``originals/ab/cd/<sha256>`` — content-addressed, written once, read-only (mode 0440). A
  file arrives by a hard link from a whole, fsynced file in the same file system (the link is
  atomic and refuses to replace an existing name), or by a temporary file in the target's
  directory, fsynced and renamed; either way a crash leaves no original or a whole one, and
  the directory is fsynced after the new name.
* ``uploads/<upload id>.part`` — the bytes of a tus upload in progress.
* ``incoming/`` — files a web capture or a bulk ingest is writing (named for their process).

The same bytes twice are stored once: ``put_once`` answers False when the original is there
already, and the caller drops its copy.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import BinaryIO
from uuid import UUID

from django.conf import settings

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


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

    @staticmethod
    def key_for(sha256: str) -> str:
        if not _SHA256.match(sha256):
            raise ValueError("not a SHA-256 in lower-case hexadecimal")
        return f"originals/{sha256[:2]}/{sha256[2:4]}/{sha256}"

    def path_for(self, sha256: str) -> Path:
        return self.root / self.key_for(sha256)

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def size(self, sha256: str) -> int:
        return self.path_for(sha256).stat().st_size

    def open(self, sha256: str) -> BinaryIO:
        return self.path_for(sha256).open("rb")

    def put_once(self, sha256: str, source: Path) -> bool:
        """Store the whole, fsynced file ``source`` as the original ``sha256``. False (and
        nothing written) when that original is stored already. ``source`` is left in place."""
        target = self.path_for(sha256)
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
        self.part_path(upload_id).unlink(missing_ok=True)

    # --- files being brought in by the server itself (web capture, bulk ingest) ---------------

    def incoming_dir(self) -> Path:
        """Where a capture or an ingest writes a file before it is stored (same file system
        as the originals, so storing is a hard link)."""
        path = self.root / "incoming"
        path.mkdir(parents=True, exist_ok=True)
        return path


def store() -> LocalStore:
    """The store of this instance (read from settings at call time, so tests may move it)."""
    return LocalStore(Path(settings.EVIDENCE_DIR))
