"""Making derivatives from an original's bytes (no database, no storage: ``actions.derivatives``
stores what is made here).

* Images (Pillow): the picture turned upright as its EXIF orientation says, then a thumbnail
  (at most ``THUMBNAIL_PX`` on its longer side) and a preview (``PREVIEW_PX``) as JPEG, and a
  **metadata-stripped copy** at full size: the decoded pixels put into a new image that carries
  no ``info`` at all, encoded again (JPEG quality 95 for JPEG originals, PNG otherwise), so no
  EXIF, GPS, XMP, IPTC, ICC profile, comment or text chunk can follow. ``stripped_metadata``
  checks the result before it is kept.
* Videos (PyAV): the first decodable key frame is the poster; its thumbnail and preview as for
  images; and a stripped copy remuxed without re-encoding (``stripping.remux``).
* Audio: a stripped copy remuxed the same way (no thumbnail or preview).
* PDF: its first page rendered (``pdf_pages.first_page``: PDFium, the bitmap bounded to
  ``PREVIEW_PX`` on its longer side whatever the page's size, the time bounded), then its
  thumbnail and preview as for images; and a stripped copy without document information or
  XMP (``stripping.strip_pdf``).

A stripped copy of audio, video or PDF, or a PDF's pictures, that cannot be made are noted
(``Derived.notes``, the reason), not an error: the other derivatives are kept. A PDF of which
nothing could be made (damaged, protected by a password) gives no derivatives and its notes,
which ``actions.derivatives`` records.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from importlib.metadata import version
from typing import IO, Any

from PIL import Image, ImageOps

from justicework.evidence.derivatives import pdf_pages, stripping

THUMBNAIL_PX = 256
PREVIEW_PX = 1280
#: decompression-bomb limit: Pillow's own (pictures larger than this are not decoded)
MAX_PIXELS = Image.MAX_IMAGE_PIXELS or 178956970


class NotDerivable(Exception):
    """The original cannot be decoded; the reason is the library's words."""


@dataclass(frozen=True)
class Made:
    kind: str  # Derivative.Kind value
    data: bytes
    media_type: str
    tool: str
    tool_version: str


def _pillow() -> tuple[str, str]:
    return "Pillow", version("pillow")


def _jpeg(image: Image.Image, longest: int) -> bytes:
    copy = image.convert("RGB")
    copy.thumbnail((longest, longest), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    copy.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def _bare(image: Image.Image) -> Image.Image:
    """The pixels alone, in a new image with no metadata (``info`` empty, no EXIF)."""
    mode = image.mode if image.mode in ("RGB", "RGBA", "L", "LA") else "RGBA"
    decoded = image.convert(mode)
    return Image.frombytes(mode, decoded.size, decoded.tobytes())


def stripped_metadata(data: bytes) -> list[str]:
    """What metadata ``data`` (a picture) still carries ([] when none): EXIF, GPS, XMP, ICC."""
    left = []
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        if len(exif):
            left.append("EXIF")
        if exif.get_ifd(0x8825):
            left.append("GPS")
        if image.info.get("xmp") or b"http://ns.adobe.com/xap/" in data:
            left.append("XMP")
        if image.info.get("icc_profile"):
            left.append("ICC")
        if image.info.get("comment") or getattr(image, "text", None):
            left.append("text")
    return left


def _stripped(image: Image.Image, source_format: str) -> Made:
    bare = _bare(image)
    out = io.BytesIO()
    if source_format == "JPEG" and bare.mode in ("RGB", "L"):
        bare.save(out, "JPEG", quality=95)
        media_type = "image/jpeg"
    else:
        bare.save(out, "PNG", optimize=False)
        media_type = "image/png"
    data = out.getvalue()
    left = stripped_metadata(data)
    if left:  # never keep a "stripped" copy that is not
        raise NotDerivable(f"metadata left after stripping: {', '.join(left)}")
    return Made("stripped", data, media_type, *_pillow())


def from_image(stream: IO[bytes]) -> list[Made]:
    try:
        with Image.open(stream) as opened:
            if opened.width * opened.height > MAX_PIXELS:
                raise NotDerivable("the picture is too large to decode")
            source_format = opened.format or ""
            opened.load()
            image = ImageOps.exif_transpose(opened) or opened
            return [
                Made("thumbnail", _jpeg(image, THUMBNAIL_PX), "image/jpeg", *_pillow()),
                Made("preview", _jpeg(image, PREVIEW_PX), "image/jpeg", *_pillow()),
                _stripped(image, source_format),
            ]
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise NotDerivable(f"{type(exc).__name__}: {exc}") from exc


def poster_frame(stream: IO[bytes]) -> Image.Image:
    """The first key frame of the first video stream, decoded (PyAV)."""
    import av

    try:
        opened: Any = av.open(stream, mode="r")  # PyAV's decode API is untyped
        with opened as container:
            if not container.streams.video:
                raise NotDerivable("no video stream")
            video = container.streams.video[0]
            video.codec_context.skip_frame = "NONKEY"
            for frame in container.decode(video):
                image: Image.Image = frame.to_image()
                return image
    except (av.FFmpegError, OSError, ValueError) as exc:
        raise NotDerivable(f"{type(exc).__name__}: {exc}") from exc
    raise NotDerivable("no decodable key frame")


def from_video(stream: IO[bytes]) -> list[Made]:
    image = poster_frame(stream)
    tool, tool_version = "PyAV+Pillow", f"{version('av')}+{version('pillow')}"
    return [
        Made("thumbnail", _jpeg(image, THUMBNAIL_PX), "image/jpeg", tool, tool_version),
        Made("preview", _jpeg(image, PREVIEW_PX), "image/jpeg", tool, tool_version),
    ]


PDF = "application/pdf"


def from_pdf(stream: IO[bytes], notes: dict[str, str]) -> list[Made]:
    """The thumbnail and preview of a PDF's first page; none (and why, in ``notes``) when it
    cannot be rendered."""
    stream.seek(0)
    try:
        page = pdf_pages.first_page(stream, PREVIEW_PX)
    except pdf_pages.NotRendered as exc:
        notes["thumbnail"] = notes["preview"] = str(exc)[:300]
        return []
    tool, tool_version = "pypdfium2+Pillow", f"{version('pypdfium2')}+{version('pillow')}"
    return [
        Made("thumbnail", _jpeg(page, THUMBNAIL_PX), "image/jpeg", tool, tool_version),
        Made("preview", _jpeg(page, PREVIEW_PX), "image/jpeg", tool, tool_version),
    ]


@dataclass(frozen=True)
class Derived:
    made: list[Made]
    #: kind -> why it was not made (a stripped copy that could not be made cleanly)
    notes: dict[str, str]


def derivable(media_type: str) -> bool:
    return media_type.startswith(("image/", "video/", "audio/")) or media_type == PDF


def _stripped_copy(media_type: str, stream: IO[bytes], notes: dict[str, str]) -> list[Made]:
    stream.seek(0)
    try:
        if media_type == PDF:
            data, tool, tool_version = stripping.strip_pdf(stream)
        else:
            data, tool, tool_version = stripping.remux(media_type, stream)
    except stripping.NotStripped as exc:
        notes["stripped"] = str(exc)[:300]
        return []
    return [Made("stripped", data, media_type, tool, tool_version)]


def make(media_type: str, stream: IO[bytes]) -> Derived:
    """The derivatives of an original of ``media_type`` read from ``stream`` (``stream`` must
    be seekable; none for types that get none); ``NotDerivable`` when its content cannot be
    decoded at all (a PDF instead gives what it can, and ``notes`` say why not the rest)."""
    notes: dict[str, str] = {}
    if media_type.startswith("image/"):
        return Derived(from_image(stream), notes)
    if media_type.startswith("video/"):
        made = from_video(stream)
        return Derived(made + _stripped_copy(media_type, stream, notes), notes)
    if media_type == PDF:
        made = from_pdf(stream, notes)
        return Derived(made + _stripped_copy(media_type, stream, notes), notes)
    if media_type.startswith("audio/"):
        made = _stripped_copy(media_type, stream, notes)
        if not made:
            raise NotDerivable(notes["stripped"])
        return Derived(made, notes)
    return Derived([], notes)
