"""PDF documents: the information dictionary (title, author, creator, producer, dates), the
number of pages, encryption. pypdf reads in non-strict mode; a file it cannot parse is a
finding. PDF dates carry a UTC offset when the producer wrote one; without it the zone is
unknown (a finding)."""

from __future__ import annotations

from datetime import datetime
from typing import IO, Any

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from justicework.evidence.provenance import timestamps
from justicework.evidence.provenance.result import Extracted

INFO = {"/Title": "title", "/Author": "author", "/Subject": "subject",
        "/Creator": "creator_tool", "/Producer": "producer"}  # fmt: skip
ERRORS = (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError)


def read(stream: IO[bytes]) -> Extracted:
    result = Extracted(kind="pdf")
    try:
        reader = PdfReader(stream, strict=False)
        result.put("encrypted", reader.is_encrypted)
        if reader.is_encrypted:
            result.find("encrypted")
            return result
        result.put("pages", len(reader.pages))
        info = reader.metadata
    except ERRORS as exc:
        result.find("unreadable", exc)
        return result
    if not info:
        result.find("no_document_information")
        return result
    _info(info, result)
    return result


def _info(info: Any, result: Extracted) -> None:
    for key, name in INFO.items():
        try:
            result.put(name, info.get(key) and str(info.get(key)))
        except ERRORS as exc:
            result.find("field_malformed", exc)
    for key, name in (("creation_date", "created"), ("modification_date", "modified")):
        try:
            value = getattr(info, key)
        except ERRORS as exc:
            result.find("time_malformed", exc)
            continue
        if isinstance(value, datetime):
            local, zone = timestamps.split_aware(value)
            result.put(name, f"{local}{zone}")
            if name == "created":
                result.captured_local, result.captured_offset = local, zone
                if not zone:
                    result.find("time_without_zone")
