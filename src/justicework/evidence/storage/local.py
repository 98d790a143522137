"""Originals on the local file system, under ``JUSTICEWORK_DATA_DIR/evidence``.

* ``originals/ab/cd/<sha256>`` — content-addressed, written once, read-only (mode 0440). A
  file arrives by a hard link from a whole, fsynced file in the same file system (the link is
  atomic and refuses to replace an existing name), or by a temporary file in the target's
  directory, fsynced and renamed; either way a crash leaves no original or a whole one, and
  the directory is fsynced after the new name.
* ``sealed/<organisation id>/ab/cd/<sha256>`` — the same, encrypted under that organisation's
  data key (``storage.sealing``; when ``EVIDENCE_ENCRYPT`` is on).
* ``uploads/<upload id>.part`` — the bytes of a tus upload in progress.
* ``derivatives/ab/cd/<sha256>`` — thumbnails, previews and stripped copies made from
  originals (``evidence.derivatives``), content-addressed and written once in the same way;
  ``sealed/<organisation id>/derivatives/ab/cd/<sha256>`` for those of a sealed original
  (sealed under the same organisation's key: ``storage.derived``).

Every method that names an original takes its key (``Original.storage_key``) or, for a plain
original, its SHA-256 (``key_for`` makes the key): the interface of ``storage.s3`` too.
* ``incoming/`` — files a web capture or a bulk ingest is writing (named for their process).

The same bytes twice are stored once: ``put_once`` answers False when the original is there
already, and the caller drops its copy. Nothing removes an original except ``remove``, called
by the two-person removal procedure (``actions.removals``) once no live item holds it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO
from uuid import UUID

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_KEY = re.compile(
    r"^(originals/[0-9a-f]{2}/[0-9a-f]{2}/|sealed/[1-9][0-9]{0,18}/[0-9a-f]{2}/[0-9a-f]{2}/)"
    r"[0-9a-f]{64}$"
)
_DERIVATIVE_KEY = re.compile(
    r"^(sealed/[1-9][0-9]{0,18}/)?derivatives/[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{64}$"
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


def derivative_key(sha256: str, vault: int | None = None) -> str:
    """The key of the derivative ``sha256``: plain, or sealed for the organisation ``vault``
    (under that organisation's directory, beside its sealed originals)."""
    if not _SHA256.match(sha256):
        raise ValueError("not a SHA-256 in lower-case hexadecimal")
    prefix = "" if vault is None else f"sealed/{int(vault)}/"
    return f"{prefix}derivatives/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def as_derivative_key(name: str) -> str:
    """``name`` (a derivative's key, or a plain derivative's SHA-256) as a checked key."""
    if _SHA256.match(name):
        return derivative_key(name)
    if not _DERIVATIVE_KEY.match(name):
        raise ValueError(f"not a key of a derivative: {name!r}")
    return name


def is_original_key(key: str) -> bool:
    return bool(_KEY.match(key))


def is_derivative_key(key: str) -> bool:
    return bool(_DERIVATIVE_KEY.match(key))


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

    # --- derivatives ---------------------------------------------------------------------------

    derivative_key = staticmethod(derivative_key)

    def derivative_path(self, name: str) -> Path:
        return self.root / as_derivative_key(name)

    def derivative_exists(self, name: str) -> bool:
        return self.derivative_path(name).is_file()

    def open_derivative(self, name: str) -> BinaryIO:
        """The stored bytes of the derivative ``name`` (ciphertext, for a sealed one:
        ``storage.derived.open_derivative`` gives the plaintext)."""
        return self.derivative_path(name).open("rb")

    def put_derivative(self, name: str, data: bytes) -> bool:
        """Store ``data`` as the derivative ``name`` once: a temporary file in the target's
        directory, fsynced, then linked to its name (refusing to replace one). False when it is
        stored already."""
        target = self.derivative_path(name)
        if target.exists():
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        with temporary.open("wb") as writing:
            writing.write(data)
            writing.flush()
            os.fsync(writing.fileno())
        os.chmod(temporary, 0o440)
        try:
            os.link(temporary, target)
        except FileExistsError:
            return False
        except OSError:  # no hard links here: rename (the same bytes would be the same name)
            os.replace(temporary, target)
        finally:
            temporary.unlink(missing_ok=True)
        _fsync_dir(target.parent)
        return True

    def remove_derivative(self, name: str) -> None:
        """Remove the derivative ``name`` (its item removed, or replaced by one made again);
        removing what is not there is no error."""
        target = self.derivative_path(name)
        target.unlink(missing_ok=True)
        if target.parent.is_dir():
            _fsync_dir(target.parent)

    def derivatives(self) -> Iterator[str]:
        """The key of every derivative stored, plain and sealed (for ``evidence fsck``)."""
        found = [
            *self.root.glob("derivatives/??/??/*"),
            *self.root.glob("sealed/*/derivatives/??/??/*"),
        ]
        for path in sorted(found):
            key = path.relative_to(self.root).as_posix()
            if path.is_file() and _DERIVATIVE_KEY.match(key):
                yield key

    def remove(self, key: str) -> None:
        """Remove the stored original at ``key`` (its ``storage_key``), for the two-person
        removal procedure only (``actions.removals``). Removing what is not there is no error,
        so an interrupted removal can be finished by running it again."""
        if not _KEY.match(key):
            raise ValueError(f"not the storage key of an original: {key!r}")
        target = self.root / key
        target.unlink(missing_ok=True)
        if target.parent.is_dir():
            _fsync_dir(target.parent)

    def originals(self) -> Iterator[str]:
        """The key of every original stored, plain (``originals/``) and sealed
        (``sealed/<organisation>/``), for ``evidence fsck``'s search for files no row points
        at; files that are not originals (temporary copies) are skipped."""
        found = [*self.root.glob("originals/??/??/*"), *self.root.glob("sealed/*/??/??/*")]
        for path in sorted(found):
            key = path.relative_to(self.root).as_posix()
            if path.is_file() and _KEY.match(key):
                yield key

    # --- uploads in progress -----------------------------------------------------------------

    def part_path(self, upload_id: UUID) -> Path:
        path = self.root / "uploads" / f"{upload_id.hex}.part"
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def discard_part(self, upload_id: UUID) -> None:
        part = self.part_path(upload_id)
        part.unlink(missing_ok=True)
        part.with_suffix(".sealed").unlink(missing_ok=True)  # left by a crash while sealing

    # --- files being brought in by the server itself (web capture, bulk ingest) ---------------

    def incoming_dir(self) -> Path:
        """Where a capture or an ingest writes a file before it is stored (same file system
        as the originals, so storing is a hard link)."""
        path = self.root / "incoming"
        path.mkdir(parents=True, exist_ok=True)
        return path
