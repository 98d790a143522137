"""The type of a file, decided from its content (``puremagic``: magic numbers, pure Python, no
libmagic needed), never from its name; the name's extension is only compared with it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO

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


def _is_text(head: bytes) -> bool:
    if b"\0" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:  # a character cut at the probe's end is still text
        return exc.start >= len(head) - 3
    return True


def _looks_like_text(path: Path) -> bool:
    with path.open("rb") as handle:
        return _is_text(handle.read(TEXT_PROBE))


def _from_matches(matches: list[puremagic.PureMagicWithConfidence]) -> FileType | None:
    typed = [m for m in matches if m.mime_type]
    if not typed:
        return None
    best = max(typed, key=lambda m: m.confidence)
    same = {m.extension.lstrip(".").lower() for m in typed if m.mime_type == best.mime_type}
    same |= {ALIASES[e] for e in same if e in ALIASES}
    return FileType(best.mime_type, frozenset(e for e in same if e))


TEXT = FileType("text/plain", frozenset({"txt", "text", "csv", "md", "log"}))


def detect(path: Path) -> FileType:
    """The media type of the file at ``path`` from its bytes, with the extensions it goes by."""
    try:
        matches = puremagic.magic_file(str(path))
    except (puremagic.PureError, ValueError, OSError):
        matches = []
    found = _from_matches(matches)
    if found is not None:
        return found
    if path.stat().st_size and _looks_like_text(path):
        return TEXT
    return FileType(UNKNOWN, frozenset())


def detect_stream(handle: IO[bytes]) -> FileType:
    """:func:`detect` for a seekable binary file of the content, for bytes that never lie on
    disk in clear (the plaintext of a sealed file: grants' attachments). Left at its start."""
    try:
        matches = puremagic.magic_stream(handle)
    except (puremagic.PureError, ValueError, OSError):
        matches = []
    found = _from_matches(matches)
    if found is None:
        handle.seek(0)
        head = handle.read(TEXT_PROBE)
        found = TEXT if head and _is_text(head) else FileType(UNKNOWN, frozenset())
    handle.seek(0)
    return found
