"""What a bulk ingest reads: the files of a folder or the entries of a ZIP on the server, each
named by its path inside (``/``-separated, as submitted), opened as a stream.

Refused (``IngestRefused``, naming the entry and why; the whole run is then refused):

* a ZIP entry whose name is absolute, has a drive letter, a backslash, a NUL or a ``..``
  component (path traversal), that is a symbolic link, that is encrypted, or that appears twice;
* a ZIP bomb: an entry that inflates past ``EVIDENCE_INGEST_MAX_RATIO`` times its compressed size
  (beyond 1 MiB), or a run whose bytes pass ``EVIDENCE_INGEST_MAX_TOTAL_BYTES``, both counted
  while the bytes are read (never from the sizes the archive declares); an entry whose bytes do
  not match what the archive declares (its size or CRC) is damaged and refused too;
* in a folder, a symbolic link that points outside the folder (links are never followed; one
  that points inside is skipped: its target is read under its own path).

Skipped with a reason (the run goes on): directories, links inside the folder, and files that
are not regular files (devices, pipes, sockets).
"""

from __future__ import annotations

import os
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _

SLACK = 1 << 20  # an entry may always inflate to 1 MiB, however well it compresses
MAX_ENTRIES = 100_000


class IngestRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Entry:
    path: str  # inside the folder or ZIP, "/"-separated: the submitted name
    size: int  # as declared (the ZIP's header) or as the folder's file system says
    skip: str = ""  # why it is not read ("" when it is)


class Budget:
    """Bytes read so far in one pass over a source, against the run's limit."""

    def __init__(self) -> None:
        self.limit = int(settings.EVIDENCE_INGEST_MAX_TOTAL_BYTES)
        self.used = 0

    def spend(self, count: int, path: str) -> None:
        self.used += count
        if self.used > self.limit:
            raise IngestRefused(
                _("%(path)s: the files hold more than %(limit)s bytes, the most one ingest may "
                  "bring (a ZIP bomb?). Nothing was ingested.")
                % {"path": path, "limit": f"{self.limit:,}"}
            )  # fmt: skip


class _Guarded:
    """A ZIP entry's stream that refuses to inflate past its ratio or the run's budget."""

    def __init__(self, raw: BinaryIO, info: zipfile.ZipInfo, budget: Budget) -> None:
        self.raw, self.info, self.budget, self.read_so_far = raw, info, budget, 0
        ratio = int(settings.EVIDENCE_INGEST_MAX_RATIO)
        self.cap = max(ratio * info.compress_size, SLACK)

    def read(self, size: int = -1) -> bytes:
        try:
            block = self.raw.read(size if size > 0 else 1 << 20)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise IngestRefused(
                _("%(path)s: the entry is damaged (%(error)s). Nothing was ingested.")
                % {"path": self.info.filename, "error": exc}
            ) from exc
        self.read_so_far += len(block)
        if self.read_so_far > self.cap:
            raise IngestRefused(
                _("%(path)s: it inflates to more than %(ratio)s times its compressed size (a ZIP "
                  "bomb). Nothing was ingested.")
                % {"path": self.info.filename, "ratio": settings.EVIDENCE_INGEST_MAX_RATIO}
            )  # fmt: skip
        self.budget.spend(len(block), self.info.filename)
        return block

    def close(self) -> None:
        self.raw.close()


def traversal_problem(name: str) -> str:
    """Why a ZIP entry's name could escape the folder it is unpacked in ("" when it cannot)."""
    if "\\" in name or "\0" in name:
        return _("its name holds a backslash or a NUL")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return _("its name is an absolute path")
    if ".." in PurePosixPath(name).parts:
        return _("its name climbs out of the archive (..)")
    return ""


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16)


class ZipSource:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise IngestRefused(_("%(path)s is not a readable ZIP file.") % {"path": path}) from exc
        self.infos: dict[str, zipfile.ZipInfo] = {}

    def entries(self) -> Iterator[Entry]:
        infos = self.archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise IngestRefused(_("The ZIP has more than %(n)s entries.") % {"n": MAX_ENTRIES})
        for info in infos:
            name = info.filename
            problem = traversal_problem(name)
            if not problem and _is_symlink(info):
                problem = _("it is a symbolic link")
            if not problem and info.flag_bits & 0x1:
                problem = _("it is encrypted")
            if not problem and name in self.infos:
                problem = _("the name appears twice in the archive")
            if problem:
                raise IngestRefused(
                    _("%(path)s: refused, %(problem)s. Nothing was ingested.")
                    % {"path": name, "problem": problem}
                )
            if info.is_dir():
                yield Entry(name, 0, skip=_("a directory"))
                continue
            self.infos[name] = info
            yield Entry(name, info.file_size)

    def open(self, entry: Entry, budget: Budget) -> _Guarded:
        info = self.infos.get(entry.path) or self.archive.getinfo(entry.path)
        return _Guarded(self.archive.open(info), info, budget)  # type: ignore[arg-type]  # a ZipExtFile reads like a binary file

    def close(self) -> None:
        self.archive.close()


class _Counted:
    def __init__(self, raw: BinaryIO, path: str, budget: Budget) -> None:
        self.raw, self.path, self.budget = raw, path, budget

    def read(self, size: int = -1) -> bytes:
        block = self.raw.read(size if size > 0 else 1 << 20)
        self.budget.spend(len(block), self.path)
        return block

    def close(self) -> None:
        self.raw.close()


class FolderSource:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def _link(self, full: Path, name: str) -> Entry:
        target = full.resolve()
        if target != self.root and self.root not in target.parents:
            raise IngestRefused(
                _("%(path)s: refused, it is a symbolic link to %(target)s, outside the folder. "
                  "Nothing was ingested.") % {"path": name, "target": target}
            )  # fmt: skip
        return Entry(name, 0, skip=_("a symbolic link inside the folder (not followed)"))

    def entries(self) -> Iterator[Entry]:
        for directory, subdirs, files in os.walk(self.root, followlinks=False):
            subdirs.sort()
            here = Path(directory)
            for name in sorted(files) + [d for d in subdirs if (here / d).is_symlink()]:
                full = here / name
                relative = full.relative_to(self.root).as_posix()
                info = full.lstat()
                if stat.S_ISLNK(info.st_mode):
                    yield self._link(full, relative)
                elif not stat.S_ISREG(info.st_mode):
                    yield Entry(relative, 0, skip=_("not a regular file"))
                else:
                    yield Entry(relative, info.st_size)

    def open(self, entry: Entry, budget: Budget) -> _Counted:
        descriptor = os.open(self.root / entry.path, os.O_RDONLY | os.O_NOFOLLOW)
        return _Counted(os.fdopen(descriptor, "rb"), entry.path, budget)

    def close(self) -> None:
        pass


Source = ZipSource | FolderSource


def open_source(path: Path) -> Source:
    if path.is_dir():
        return FolderSource(path)
    if path.is_file() and zipfile.is_zipfile(path):
        return ZipSource(path)
    raise IngestRefused(
        _("%(path)s is neither a folder nor a ZIP file on this server.") % {"path": path}
    )
