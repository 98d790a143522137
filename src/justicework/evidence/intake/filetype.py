"""The type of a file, decided from its content (``puremagic``: magic numbers, pure Python, no
libmagic needed), never from its name; the name's extension is only compared with it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import puremagic

UNKNOWN = "application/octet-stream"
#: Extensions that are spelt more than one way.
ALIASES = {"jpg": "jpeg", "jpeg": "jpg", "tif": "tiff", "tiff": "tif", "htm": "html",
           "html": "htm", "mpg": "mpeg", "mpeg": "mpg", "oga": "ogg", "ogg": "oga"}  # fmt: skip
#: How much of the start is read to tell plain text from binary when no signature matches.
TEXT_PROBE = 64 * 1024


@dataclass(frozen=True)
class FileType:
    media_type: str
    extensions: frozenset[str]  # extensions the content is known by, lower case, without dot

    def fits(self, ext: str) -> bool | None:
        """Does a name's extension fit this content? None when the name has no extension or
        the content is of no known type."""
        if not ext or self.media_type == UNKNOWN:
            return None
        return ext in self.extensions


def _looks_like_text(path: Path) -> bool:
    with path.open("rb") as handle:
        head = handle.read(TEXT_PROBE)
    if b"\0" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:  # a character cut at the probe's end is still text
        return exc.start >= len(head) - 3
    return True


def detect(path: Path) -> FileType:
    """The media type of the file at ``path`` from its bytes, with the extensions it goes by."""
    try:
        matches = puremagic.magic_file(str(path))
    except (puremagic.PureError, ValueError, OSError):
        matches = []
    typed = [m for m in matches if m.mime_type]
    if typed:
        best = max(typed, key=lambda m: m.confidence)
        same = {m.extension.lstrip(".").lower() for m in typed if m.mime_type == best.mime_type}
        same |= {ALIASES[e] for e in same if e in ALIASES}
        return FileType(best.mime_type, frozenset(e for e in same if e))
    if path.stat().st_size and _looks_like_text(path):
        return FileType("text/plain", frozenset({"txt", "text", "csv", "md", "log"}))
    return FileType(UNKNOWN, frozenset())
