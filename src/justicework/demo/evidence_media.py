"""Synthetic media for the evidence demo and the evidence tests: generated pictures (some copies
of one another), JPEGs with EXIF and GPS, PDFs of text with document information, a short
MPEG-4 video and WAV audio. Nothing here is a real photograph, document or recording.

``tests/evidence/provenance/files.py`` re-exports these functions, so the tests and the demo
share one generator."""

from __future__ import annotations

import io
import math
import random
import struct
import wave
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from PIL import Image, ImageDraw, ImageFilter

Colour = tuple[int, int, int]


def _colour(rng: random.Random) -> Colour:
    return (rng.randrange(256), rng.randrange(256), rng.randrange(256))


def picture(seed: int, size: tuple[int, int] = (640, 480)) -> Image.Image:
    """A picture of blurred shapes; different seeds give different pictures."""
    rng = random.Random(seed)  # a picture per seed, not a secret
    image = Image.new("RGB", size, _colour(rng))
    draw = ImageDraw.Draw(image)
    for _ in range(25):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        box = (x, y, x + rng.randrange(30, 250), y + rng.randrange(30, 250))
        colour = _colour(rng)
        if rng.random() < 0.5:
            draw.ellipse(box, fill=colour)
        else:
            draw.rectangle(box, fill=colour)
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
    """``image`` as a JPEG whose EXIF names the camera, the time taken (``YYYY:MM:DD
    HH:MM:SS``), its UTC offset (``+02:00``) and the GPS position (latitude, longitude)."""
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


def resized_copy(jpeg: bytes, scale: float = 0.6, quality: int = 55) -> bytes:
    """``jpeg`` as a messaging app would pass it on: smaller, re-encoded, its EXIF dropped (a
    near-duplicate: another SHA-256, nearly the same perceptual hash)."""
    with Image.open(io.BytesIO(jpeg)) as image:
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        smaller = image.convert("RGB").resize(size, Image.Resampling.LANCZOS)
    return encode(smaller, "JPEG", quality=quality)


def pdf(lines: Sequence[str] = ("Synthetic field report",), **info: str) -> bytes:
    """A two-page PDF whose first page shows ``lines`` (so its thumbnail shows something) and
    whose document information holds ``info`` (``/Title``, ``/Author``…)."""
    from fpdf import FPDF
    from pypdf import PdfReader, PdfWriter

    drawn = FPDF(unit="pt", format=(420, 595))  # A5
    drawn.set_auto_page_break(False)
    drawn.add_page()
    drawn.set_font("Helvetica", "B", 18)
    for n, line in enumerate(lines):
        drawn.multi_cell(0, 24 if n == 0 else 15, line, new_x="LMARGIN", new_y="NEXT")
        drawn.set_font("Helvetica", size=11)
    drawn.add_page()
    writer = PdfWriter()  # the pages alone: fpdf2's own /Producer and dates left behind
    for page in PdfReader(io.BytesIO(bytes(drawn.output()))).pages:
        writer.add_page(page)
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
        stream: Any = container.add_stream("mpeg4", rate=8)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for i in range(16):
            # PyAV ships from_image without annotations
            frame = av.VideoFrame.from_image(picture(i, (64, 48)))  # type: ignore[no-untyped-call]
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return out.getvalue()


def wav(seconds: float = 0.5, rate: int = 8000) -> bytes:
    """A mono 16-bit WAV of a constant signal."""
    out = io.BytesIO()
    with wave.open(out, "wb") as sink:
        sink.setnchannels(1)
        sink.setsampwidth(2)
        sink.setframerate(rate)
        sink.writeframes(b"\x00\x01" * int(seconds * rate))
    return out.getvalue()


def tone(seconds: float = 2.0, rate: int = 8000, pitch: float = 440.0) -> bytes:
    """A mono 16-bit WAV of a fading sine tone (an audible demo recording)."""
    count = int(seconds * rate)
    samples = (
        int(12000 * (1 - n / count) * math.sin(2 * math.pi * pitch * n / rate))
        for n in range(count)
    )
    out = io.BytesIO()
    with wave.open(out, "wb") as sink:
        sink.setnchannels(1)
        sink.setsampwidth(2)
        sink.setframerate(rate)
        sink.writeframes(b"".join(struct.pack("<h", s) for s in samples))
    return out.getvalue()
