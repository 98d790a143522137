"""Synthetic evidence files for the provenance tests: generated pictures (some copies of one
another), JPEGs with EXIF and GPS, PDFs with document information, audio and video."""

from __future__ import annotations

import io
import random
from fractions import Fraction
from typing import Any

from PIL import Image, ImageDraw, ImageFilter


def picture(seed: int, size: tuple[int, int] = (640, 480)) -> Image.Image:
    """A picture of blurred shapes; different seeds give different pictures."""
    rng = random.Random(seed)
    image = Image.new("RGB", size, tuple(rng.randrange(256) for _ in range(3)))  # type: ignore[arg-type]
    draw = ImageDraw.Draw(image)
    for _ in range(25):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        box = [x, y, x + rng.randrange(30, 250), y + rng.randrange(30, 250)]
        colour = tuple(rng.randrange(256) for _ in range(3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(box, fill=colour)  # type: ignore[operator]
    return image.filter(ImageFilter.GaussianBlur(2))


def encode(image: Image.Image, fmt: str = "JPEG", **options: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def _dms(value: float) -> tuple[Fraction, Fraction, Fraction]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = Fraction(round((value - degrees - minutes / 60) * 3600 * 1000), 1000)
    return Fraction(degrees), Fraction(minutes), seconds


def jpeg_with_exif(
    image: Image.Image, *, make: str = "", model: str = "", taken: str = "", offset: str = "",
    gps: tuple[float, float] | None = None,
) -> bytes:  # fmt: skip
    exif = Image.Exif()
    if make:
        exif[271] = make
    if model:
        exif[272] = model
    sub = exif.get_ifd(0x8769)
    if taken:
        sub[36867] = taken
    if offset:
        sub[36881] = offset
    if gps is not None:
        ifd = exif.get_ifd(0x8825)
        ifd[1], ifd[2] = ("N" if gps[0] >= 0 else "S"), _dms(gps[0])
        ifd[3], ifd[4] = ("E" if gps[1] >= 0 else "W"), _dms(gps[1])
    return encode(image, "JPEG", exif=exif, quality=90)


def pdf(**info: str) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_blank_page(width=200, height=200)
    if info:
        writer.add_metadata(info)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def video(**tags: str) -> bytes:
    """A short MPEG-4 video (16 frames of 64x48) with container tags."""
    import av

    out = io.BytesIO()
    with av.open(out, mode="w", format="mp4") as container:
        container.metadata.update(tags)
        stream = container.add_stream("mpeg4", rate=8)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for i in range(16):
            frame = av.VideoFrame.from_image(picture(i, (64, 48)))
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return out.getvalue()


def wav(seconds: float = 0.5, rate: int = 8000) -> bytes:
    import wave

    out = io.BytesIO()
    with wave.open(out, "wb") as sink:
        sink.setnchannels(1)
        sink.setsampwidth(2)
        sink.setframerate(rate)
        sink.writeframes(b"\x00\x01" * int(seconds * rate))
    return out.getvalue()
