"""Synthetic evidence files for the provenance tests: the demo's generator
(``justicework.demo.evidence_media``), re-exported so that tests and demo share one copy."""

from __future__ import annotations

from justicework.demo.evidence_media import (
    encode,
    jpeg_with_exif,
    pdf,
    picture,
    resized_copy,
    tone,
    video,
    wav,
)

__all__ = ["encode", "jpeg_with_exif", "pdf", "picture", "resized_copy", "tone", "video", "wav"]
