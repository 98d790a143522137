"""The files attached to applications, encrypted at rest.

**Receiving.** The upload is sealed as it streams in (the evidence originals' format,
``evidence.storage.sealing``: a fresh AES-256-GCM key per file, itself sealed under an
organisation's data key, then authenticated chunks; context ``grants.attachment``, so an
attachment's object cannot pass for an evidence original) into a temporary file of
``incoming/``, while its plaintext is hashed (SHA-256) and measured (refused past
``GRANTS_ATTACHMENT_MAX_BYTES``). Its type is then read from the plaintext of that sealed file
with the evidence app's ``puremagic`` detection (never from the name): the bytes never lie on
disk in clear, not even while they are checked.

**Whose key.** The **programme's organisation** (the call's ``organisation``), not the
applicant's: an attachment is part of the call's records, which the programme must keep for the
Commission, OLAF and the Court of Auditors for years after the last payment
(``grants.retention``). Sealed under the applicant's key, the programme's duty to keep them
readable would depend on another organisation's key (its rotation, a key destroyed to make its
data unreadable, the organisation removed). Who may *read* is the policy's answer (the
applicant's and co-applicants' members, the programme's staff once submitted), as everywhere:
the key decides whose key lifecycle the records follow, not who sees them.

**Keeping.** The sealed file is stored once per content and organisation, as
``GRANTS_DIR/sealed/<organisation>/ab/cd/<sha256 of the plaintext>`` by the
evidence app's ``LocalStore`` (a hard link from the whole, fsynced temporary file, or a copy
fsynced and renamed: a crash leaves no name or a whole file; read-only, written once).

**Reading.** :func:`open_verified` authenticates every chunk and compares the plaintext's
SHA-256 with the one recorded before a byte is handed out: a changed, cut or replaced file, or
one sealed for another organisation, raises :class:`AttachmentDamaged`.

**Forgetting.** A file is shared by every attachment of the same content in one organisation,
so removing an attachment leaves it; :func:`sweep_unreferenced` (``grant_attachment_sweep``,
daily) removes the files no attachment points at once unused for ``STALE_AFTER``. An upload
that finds its file stored already marks it used under the same lock the sweep holds, so a
file being attached again is never taken from under it.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import io
import os
import tempfile
import time
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

from justicework.encryption.chunks import CHUNK
from justicework.evidence.intake import naming
from justicework.evidence.intake.filetype import detect_stream
from justicework.evidence.storage import sealing
from justicework.evidence.storage.local import LocalStore

#: bound into every attachment's sealed key (an evidence original's object does not open here)
CONTEXT = "grants.attachment"
#: what an applicant may attach: PDF, images, office documents (OpenXML, OpenDocument, the old
#: binary Office formats)
ALLOWED_TYPES = frozenset(
    {
        "application/pdf",
        "image/jpeg",
        "image/png",
        "image/gif",
        "image/webp",
        "image/tiff",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/vnd.oasis.opendocument.presentation",
        "application/msword",
        "application/vnd.ms-excel",
        "application/vnd.ms-powerpoint",
    }
)
#: what the upload field's ``accept`` offers (a hint only: the bytes decide)
ACCEPT = (
    ".pdf,.jpg,.jpeg,.png,.gif,.webp,.tif,.tiff,.docx,.xlsx,.pptx,.odt,.ods,.odp,.doc,.xls,.ppt"
)


class FileRefused(ValueError):
    """The file is too large, empty or of a type not allowed (the message says which)."""


class AttachmentDamaged(Exception):
    """A stored attachment is missing, fails authentication or no longer has its SHA-256."""


@dataclass(frozen=True)
class Received:
    path: Path  # the sealed temporary file
    name: str
    media_type: str
    size: int
    sha256: str
    vault: int  # the organisation whose data key seals it


def max_bytes() -> int:
    return int(settings.GRANTS_ATTACHMENT_MAX_BYTES)


def store() -> LocalStore:
    return LocalStore(Path(settings.GRANTS_DIR))


def incoming() -> Path:
    """Where files are sealed before they are stored (the store's file system: a hard link)."""
    path = store().root / "incoming"
    path.mkdir(parents=True, exist_ok=True)
    return path


#: A temporary file older than this is a leftover of a process killed while it received or
#: sealed a file (a request never lasts this long): the next upload removes it.
STALE_AFTER = dt.timedelta(hours=6)


def sweep_incoming(now: float | None = None) -> int:
    """Remove temporary files left in ``incoming/`` by a killed process (sealed, unreadable
    without their key, but not kept); how many were removed."""
    cutoff = (time.time() if now is None else now) - STALE_AFTER.total_seconds()
    removed = 0
    for path in incoming().iterdir():
        if path.suffix in {".part", ".sealing"} and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def key_for(sha256: str, vault: int) -> str:
    return store().key_for(sha256, vault)


def _seal(
    chunks: Iterable[bytes], out: IO[bytes], vault: int, limit: int | None
) -> tuple[int, str]:
    """Seal ``chunks`` into ``out`` (fsynced); the plaintext's size and SHA-256."""
    size, digest = 0, hashlib.sha256()
    writer = sealing.sealer(out, vault, CONTEXT)
    for chunk in chunks:
        size += len(chunk)
        if limit is not None and size > limit:
            raise FileRefused(
                _("The file is larger than the limit of %(limit)s MB.")
                % {"limit": f"{limit / 1_000_000:g}"}
            )
        digest.update(chunk)
        writer.write(chunk)
    writer.finish()
    out.flush()
    os.fsync(out.fileno())
    return size, digest.hexdigest()


def _open_part(path: Path, vault: int) -> IO[bytes]:
    return sealing.open_sealed(path.open("rb"), path.name, vault, CONTEXT)


def receive(name: str, chunks: Iterable[bytes], vault: int) -> Received:
    """The upload sealed under ``vault``'s key in a temporary file, checked on its plaintext;
    the caller calls :func:`keep` or :func:`discard`. ``FileRefused`` (nothing left behind)
    when it may not be attached."""
    sweep_incoming()
    handle, raw = tempfile.mkstemp(dir=incoming(), suffix=".part")
    path = Path(raw)
    try:
        with os.fdopen(handle, "wb") as out:
            size, sha256 = _seal(chunks, out, vault, max_bytes())
        if size == 0:
            raise FileRefused(_("The file is empty."))
        with _open_part(path, vault) as plain:
            media_type = detect_stream(plain).media_type
        if media_type not in ALLOWED_TYPES:
            raise FileRefused(
                _("Files of this type (%(type)s) cannot be attached: send a PDF, an image or an "
                  "office document.") % {"type": media_type}
            )  # fmt: skip
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Received(path, naming.neutralise(name), media_type, size, sha256, vault)


@contextmanager
def _store_lock(exclusive: bool) -> Iterator[None]:
    """Uploads keeping a file (shared) against the sweep removing one (exclusive)."""
    root = store().root
    root.mkdir(parents=True, exist_ok=True)
    handle = os.open(root, os.O_RDONLY)  # the directory itself: no lock file among the files
    try:
        fcntl.flock(handle, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        yield
    finally:
        os.close(handle)  # closing releases the lock


def keep(received: Received) -> None:
    """Store the sealed file under its plaintext's SHA-256 (once per organisation), or mark
    the stored one used, and drop the temporary file."""
    key = key_for(received.sha256, received.vault)
    try:
        with _store_lock(exclusive=False):
            if not store().put_once(key, received.path):
                os.utime(store().path_for(key))
    finally:
        discard(received)


def sweep_unreferenced(referenced: Collection[str], now: float | None = None) -> list[str]:
    """Remove the sealed files whose key is not in ``referenced`` (every attachment's) and
    that were not stored or used again for ``STALE_AFTER``; the keys removed."""
    cutoff = (time.time() if now is None else now) - STALE_AFTER.total_seconds()
    removed, stored = [], store()
    with _store_lock(exclusive=True):
        for key in stored.originals():
            if key in referenced or not key.startswith("sealed/"):
                continue
            try:
                if stored.path_for(key).stat().st_mtime >= cutoff:
                    continue
            except FileNotFoundError:
                continue
            stored.remove(key)
            removed.append(key)
    return removed


def discard(received: Received) -> None:
    received.path.unlink(missing_ok=True)


def seal_stored_plain(plain: Path, sha256: str, vault: int) -> bool:
    """Seal a file stored in clear before attachments were encrypted (the data migration):
    False when the sealed file was there already. ``AttachmentDamaged`` when ``plain`` no
    longer has ``sha256``."""
    handle, raw = tempfile.mkstemp(dir=incoming(), suffix=".sealing")
    path = Path(raw)
    try:
        with plain.open("rb") as reading, os.fdopen(handle, "wb") as out:
            _size, found = _seal(iter(lambda: reading.read(CHUNK * 16), b""), out, vault, None)
        if found != sha256:
            raise AttachmentDamaged(
                f"{plain} has the SHA-256 {found}, not the {sha256} its attachment records."
            )
        return store().put_once(key_for(sha256, vault), path)
    finally:
        path.unlink(missing_ok=True)


def open_verified(sha256: str, vault: int, label: str) -> IO[bytes]:
    """The plaintext of the stored attachment ``sha256`` sealed under ``vault``'s key, every
    chunk authenticated and the whole hashed before it is returned (at its start).
    ``AttachmentDamaged`` names ``label`` when it is missing, changed, cut, replaced, sealed
    for another organisation or no longer has its SHA-256."""
    damaged = AttachmentDamaged(
        _("The stored file of %(name)s failed its integrity check (it is missing, or was "
          "changed or replaced on disk): it has not been sent.") % {"name": label}
    )  # fmt: skip
    try:
        stored = store().open(key_for(sha256, vault))
    except FileNotFoundError as exc:
        raise damaged from exc
    try:
        plain = sealing.open_sealed(stored, label, vault, CONTEXT)
    except sealing.OriginalDamaged as exc:
        raise damaged from exc
    try:
        digest = hashlib.sha256()
        while block := plain.read(CHUNK):
            digest.update(block)
        if digest.hexdigest() != sha256:
            raise damaged
        plain.seek(0, io.SEEK_SET)
    except BaseException as exc:
        plain.close()
        if isinstance(exc, sealing.OriginalDamaged):
            raise damaged from exc
        raise
    return plain
