"""Choose the reader for an original's media type and run it on the stored file, opened
read-only. Any error a reader did not foresee is a finding too: an evidence file must never
stop extraction of the others (the error's type and words are kept for the record)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import IO

from justicework.evidence.models import Original
from justicework.evidence.provenance import credentials, exif, media, pdf
from justicework.evidence.provenance.result import Extracted
from justicework.evidence.storage import store
from justicework.evidence.storage.originals import open_original

log = logging.getLogger(__name__)

Reader = Callable[[IO[bytes]], Extracted]


def reader_for(media_type: str) -> tuple[str, Reader | None]:
    if media_type.startswith("image/"):
        return "image", exif.read
    if media_type == "application/pdf":
        return "pdf", pdf.read
    if media_type.startswith(("audio/", "video/")):
        return "media", media.read
    return "other", None


def read(original: Original) -> Extracted:
    """What ``original``'s file says; library messages in findings never name the store's
    directory (they are shown on pages)."""
    result = _read(original)
    root = str(store().root)
    for finding in result.findings:
        finding["detail"] = finding["detail"].replace(root, "…")
    return result


def _read(original: Original) -> Extracted:
    kind, reader = reader_for(original.media_type)
    if reader is None:
        return Extracted(kind=kind)
    try:
        with open_original(original) as stream:
            result = reader(stream)
            credentials.read(stream, original.media_type, result)
            return result
    except FileNotFoundError as exc:
        result = Extracted(kind=kind)
        result.find("file_missing", type(exc).__name__)
        return result
    except Exception as exc:
        log.warning("provenance reader failed on original %s: %s", original.pk, type(exc).__name__)
        result = Extracted(kind=kind)
        result.find("reader_failed", exc)
        return result
