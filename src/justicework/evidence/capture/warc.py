"""The WARC of a capture (``warcio``, WARC/1.1, each record gzipped): a ``warcinfo`` record
naming JusticeWork, the address asked for and the time of the capture, then for every hop its
``response`` (the bytes as received, with ``WARC-IP-Address``, the address connected to) and
its ``request`` (as sent, ``WARC-Concurrent-To`` the response). The file's SHA-256 and SHA-512
are computed while it is written, never by reading it back."""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from justicework.evidence.capture.fetch import Exchange
from justicework.evidence.intake.hashing import Digests, StreamHasher

SOFTWARE = "JusticeWork evidence vault (warcio 1.8)"


class HashingWriter:
    """A binary file that hashes what is written to it and counts it."""

    def __init__(self, handle: Any) -> None:
        self.handle = handle
        self.hasher = StreamHasher()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.handle.write(data)
        self.hasher.update(bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        self.handle.flush()


def _date(moment: dt.datetime) -> str:
    return str(
        datetime_to_iso_date(moment.astimezone(dt.UTC).replace(tzinfo=None), use_micros=True)
    )


def write_warc(
    path: Path, hops: Sequence[Exchange], *, url: str, captured_at: dt.datetime, user_agent: str
) -> tuple[Digests, int]:
    """Write the WARC of ``hops`` to ``path`` (fsynced); its digests and size."""
    with path.open("wb") as handle:
        out = HashingWriter(handle)
        writer = WARCWriter(out, gzip=True, warc_version="1.1")
        info = writer.create_warcinfo_record(path.name, {
            "software": SOFTWARE, "format": "WARC File Format 1.1",
            "description": "Web capture", "isPartOf": "JusticeWork", "target-uri": url,
            "capture-time": _date(captured_at), "http-header-user-agent": user_agent,
        })  # fmt: skip
        info.rec_headers.replace_header("WARC-Date", _date(captured_at))
        writer.write_record(info)
        for hop in hops:
            headers = {"WARC-Date": _date(hop.started_at), "WARC-IP-Address": hop.target.address}
            with hop.response.open("rb") as body:
                response = writer.create_warc_record(
                    hop.target.url, "response", payload=body, length=hop.size,
                    warc_headers_dict=dict(headers),
                )  # fmt: skip
                request = writer.create_warc_record(
                    hop.target.url, "request", payload=io.BytesIO(hop.request),
                    length=len(hop.request), warc_headers_dict=dict(headers),
                )  # fmt: skip
                writer.write_request_response_pair(request, response)
        handle.flush()
        os.fsync(handle.fileno())
    return out.hasher.digests(), out.size


def body_of(hop: Exchange) -> bytes:
    """The decoded body of the final response, read from the file as received (chunked transfer
    decoded), at most the capture's size limit."""
    from warcio.recordloader import ArcWarcRecordLoader

    with hop.response.open("rb") as raw:
        http_headers = ArcWarcRecordLoader().load_http_headers(
            "response", hop.target.url, raw, None
        )
        body = raw.read()
    if (
        http_headers is not None
        and "chunked" in (http_headers.get_header("Transfer-Encoding") or "").lower()
    ):
        from warcio.bufferedreaders import ChunkedDataReader

        return bytes(ChunkedDataReader(io.BytesIO(body)).read())
    return body
