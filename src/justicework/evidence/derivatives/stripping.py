"""Metadata-stripped copies of audio, video and PDF originals (``make`` calls these).

* Audio and video (PyAV): the audio and video streams' packets are copied into a new container
  of the same kind **without re-encoding** (a remux), with no container or stream metadata
  given to the muxer and FFmpeg's ``bitexact`` flag (which keeps it from writing its own
  ``encoder`` tag). Creation times, device names, GPS/location atoms, titles, comments,
  encoder tags, chapters, attachments, subtitle and data streams are left behind. What the
  muxer must write itself remains, and is all :func:`media_metadata_left` allows: for MP4 and
  QuickTime the ``ftyp`` box (``major_brand``, ``minor_version``, ``compatible_brands``) and
  each track's ``hdlr`` and ``mdhd`` boxes (``handler_name`` "VideoHandler"/"SoundHandler",
  ``vendor_id`` of zeros, ``language`` "und"). Anything else read back fails the copy.
* PDF (pypdf): the pages copied into a new document with no document information dictionary
  (so no ``/Producer``, not even pypdf's) and no XMP (``/Metadata``, on the catalogue or a page,
  nor ``/PieceInfo``); read back to check.

A container that cannot be remuxed, or a copy that still carries metadata, raises
``NotStripped`` with the reason: no stripped copy is kept.
"""

from __future__ import annotations

import io
from importlib.metadata import version
from typing import IO, Any

#: media type -> the FFmpeg muxer that writes a container of that kind
MUXERS = {
    "video/mp4": "mp4", "video/quicktime": "mov", "video/x-matroska": "matroska",
    "video/webm": "webm", "video/x-msvideo": "avi", "audio/mp4": "ipod", "audio/x-m4a": "ipod",
    "audio/mpeg": "mp3", "audio/wav": "wav", "audio/x-wav": "wav", "audio/vnd.wave": "wav",
    "audio/wave": "wav", "audio/aac": "adts", "audio/webm": "webm", "audio/opus": "ogg",
    "audio/ogg": "ogg", "video/ogg": "ogg", "audio/flac": "flac", "audio/x-flac": "flac",
}  # fmt: skip
#: tags the muxers above write themselves (structural boxes), with the only values allowed
MUXER_TAGS: dict[str, frozenset[str] | None] = {
    "major_brand": None, "minor_version": None, "compatible_brands": None,  # MP4 ftyp box
    "handler_name": frozenset({"VideoHandler", "SoundHandler"}),  # hdlr box
    "vendor_id": frozenset({"[0][0][0][0]"}), "language": frozenset({"und"}),  # mdhd box
}  # fmt: skip


class NotStripped(Exception):
    """No stripped copy could be made; the reason in words."""


def media_metadata_left(data: bytes) -> list[str]:
    """The tags (``where:name``) a container still carries beyond what its muxer must write,
    its chapters and any stream that is neither audio nor video ([] when clean)."""
    import av

    left: list[str] = []
    opened: Any = av.open(io.BytesIO(data), mode="r")  # PyAV's API is untyped
    with opened as container:
        places = [("container", container.metadata)]
        places += [(f"stream {s.index}", s.metadata) for s in container.streams]
        for where, tags in places:
            for name, value in tags.items():
                allowed = MUXER_TAGS.get(name, frozenset())
                if name not in MUXER_TAGS or (allowed is not None and value not in allowed):
                    left.append(f"{where}:{name}")
        if container.chapters():
            left.append("chapters")
        left += [f"stream {s.index}:{s.type}" for s in container.streams
                 if s.type not in ("audio", "video")]  # fmt: skip
    return left


def remux(media_type: str, stream: IO[bytes]) -> tuple[bytes, str, str]:
    """The audio and video packets of ``stream`` in a new container with no metadata:
    (bytes, tool, tool version)."""
    import av

    muxer = MUXERS.get(media_type)
    if muxer is None:
        raise NotStripped(f"no remuxer for {media_type}")
    out = io.BytesIO()
    try:
        source: Any = av.open(stream, mode="r")
        with source, av.open(out, "w", format=muxer, options={"fflags": "+bitexact"}) as sink:
            chosen = [s for s in source.streams if s.type in ("audio", "video")]
            if not chosen:
                raise NotStripped("no audio or video stream")
            copies = {s.index: sink.add_stream_from_template(s) for s in chosen}
            for packet in source.demux(*chosen):
                if packet.dts is None:  # the demuxer's flush packet
                    continue
                packet.stream = copies[packet.stream.index]
                sink.mux(packet)
    except (av.FFmpegError, OSError, ValueError) as exc:
        problem = f"the container could not be remuxed: {type(exc).__name__}: {exc}"
        raise NotStripped(problem) from exc
    data = out.getvalue()
    left = media_metadata_left(data)
    if left:  # never keep a "stripped" copy that is not
        raise NotStripped(f"metadata left after remuxing: {', '.join(left)}")
    return data, "PyAV", version("av")


def pdf_metadata_left(data: bytes) -> list[str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    left = []
    if reader.trailer.get("/Info") is not None:
        left.append("document information")
    if "/Metadata" in reader.root_object or b"<x:xmpmeta" in data:
        left.append("XMP")
    if any("/Metadata" in page or "/PieceInfo" in page for page in reader.pages):
        left.append("page metadata")
    return left


def strip_pdf(stream: IO[bytes]) -> tuple[bytes, str, str]:
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError
    from pypdf.generic import NameObject

    try:
        reader = PdfReader(stream)
        if reader.is_encrypted:
            raise NotStripped("the PDF is encrypted")
        writer = PdfWriter()
        for page in reader.pages:
            added = writer.add_page(page)
            for key in ("/Metadata", "/PieceInfo"):
                added.pop(NameObject(key), None)
        writer._info = None  # pypdf has no public way to write no /Info (not even /Producer)
        out = io.BytesIO()
        writer.write(out)
    except (PyPdfError, OSError, ValueError, KeyError) as exc:
        raise NotStripped(f"the PDF could not be copied: {type(exc).__name__}: {exc}") from exc
    data = out.getvalue()
    left = pdf_metadata_left(data)
    if left:
        raise NotStripped(f"metadata left after stripping: {', '.join(left)}")
    return data, "pypdf", version("pypdf")
