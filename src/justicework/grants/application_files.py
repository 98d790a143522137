"""The files attached to applications: received in a temporary file (hashed and measured while
written, refused past ``GRANTS_ATTACHMENT_MAX_BYTES``), typed from their bytes with the evidence
app's ``puremagic`` detection (never from the name), and kept content-addressed under
``JUSTICEWORK_DATA_DIR/grants/originals/ab/cd/<sha256>`` by the evidence app's local store
(written once, read-only; the same bytes twice are kept once)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _

from justicework.evidence.intake import naming
from justicework.evidence.intake.filetype import detect
from justicework.evidence.storage.local import LocalStore

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


@dataclass(frozen=True)
class Received:
    path: Path
    name: str
    media_type: str
    size: int
    sha256: str


def max_bytes() -> int:
    return int(settings.GRANTS_ATTACHMENT_MAX_BYTES)


def store() -> LocalStore:
    return LocalStore(Path(settings.DATA_DIR) / "grants")


def _incoming() -> Path:
    path = store().root / "incoming"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _write(chunks: Iterable[bytes], out: BinaryIO) -> tuple[int, str]:
    limit, size, digest = max_bytes(), 0, hashlib.sha256()
    for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise FileRefused(
                _("The file is larger than the limit of %(limit)s MB.")
                % {"limit": f"{limit / 1_000_000:g}"}
            )
        digest.update(chunk)
        out.write(chunk)
    out.flush()
    os.fsync(out.fileno())
    return size, digest.hexdigest()


def receive(name: str, chunks: Iterable[bytes]) -> Received:
    """The upload in a temporary file, checked; the caller calls :func:`keep` or
    :func:`discard`. ``FileRefused`` (nothing left behind) when it may not be attached."""
    handle, raw = tempfile.mkstemp(dir=_incoming(), suffix=".part")
    path = Path(raw)
    try:
        with os.fdopen(handle, "wb") as out:
            size, sha256 = _write(chunks, out)
        if size == 0:
            raise FileRefused(_("The file is empty."))
        media_type = detect(path).media_type
        if media_type not in ALLOWED_TYPES:
            raise FileRefused(
                _("Files of this type (%(type)s) cannot be attached: send a PDF, an image or an "
                  "office document.") % {"type": media_type}
            )  # fmt: skip
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Received(path, naming.neutralise(name), media_type, size, sha256)


def keep(received: Received) -> None:
    """Store the bytes under their SHA-256 (once) and drop the temporary file."""
    try:
        store().put_once(store().key_for(received.sha256), received.path)
    finally:
        discard(received)


def discard(received: Received) -> None:
    received.path.unlink(missing_ok=True)


def open_stored(sha256: str) -> BinaryIO:
    return store().open(sha256)
