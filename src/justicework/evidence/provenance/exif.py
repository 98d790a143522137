"""Images: size and format, EXIF (camera, software, time of capture with its offset when an
``OffsetTime*`` tag gives one), GPS, and the perceptual hashes of the pixels (``phash``).

Pillow reads the header and EXIF without decoding pixels; decoding (for the hashes) is where a
truncated or corrupt file fails, and that is a finding. Images above Pillow's decompression-bomb
limit are not decoded (a finding too)."""

from __future__ import annotations

import warnings
from typing import IO, Any

from PIL import Image, UnidentifiedImageError

from justicework.evidence.provenance import phash, timestamps
from justicework.evidence.provenance.result import Extracted

EXIF_IFD, GPS_IFD = 0x8769, 0x8825
BASE_TAGS = {271: "camera_make", 272: "camera_model", 305: "software", 315: "artist"}
EXIF_TAGS = {42036: "lens_model", 42033: "body_serial_number"}
#: DateTimeOriginal, DateTimeDigitized, DateTime (base IFD) with their OffsetTime tags
TIME_TAGS = ((36867, 36881), (36868, 36882))
DATETIME, OFFSET_TIME = 306, 36880


def read(stream: IO[bytes]) -> Extracted:
    result = Extracted(kind="image")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(stream)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        result.find("unreadable", exc)
        return result
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        result.find("too_large", exc)
        return result
    with image:
        result.put("format", image.format)
        result.put("width", image.width)
        result.put("height", image.height)
        _exif(image, result)
        _hashes(image, result)
    return result


def _exif(image: Image.Image, result: Extracted) -> None:
    try:
        exif = image.getexif()
        sub = exif.get_ifd(EXIF_IFD)
        gps = exif.get_ifd(GPS_IFD)
    except Exception as exc:
        result.find("exif_malformed", exc)
        return
    if not exif:
        result.find("no_exif")
        return
    for tag, name in BASE_TAGS.items():
        result.put(name, _text(exif.get(tag)))
    for tag, name in EXIF_TAGS.items():
        result.put(name, _text(sub.get(tag)))
    _capture_time(exif, sub, result)
    if gps:
        _gps(gps, result)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _capture_time(exif: Any, sub: Any, result: Extracted) -> None:
    candidates = [(sub.get(t), sub.get(o)) for t, o in TIME_TAGS]
    candidates.append((exif.get(DATETIME), sub.get(OFFSET_TIME)))
    for raw, raw_offset in candidates:
        if raw is None:
            continue
        local = timestamps.exif_time(_text(raw) or "")
        if local is None:
            result.find("time_malformed", _text(raw))
            continue
        result.captured_local = local
        zone = timestamps.offset(_text(raw_offset) or "") if raw_offset is not None else None
        if zone is None:
            result.find("time_without_zone")
        else:
            result.captured_offset = zone
        return


def _degrees(value: Any) -> float:
    d, m, s = (float(part) for part in value)
    return d + m / 60 + s / 3600


def _gps(gps: Any, result: Extracted) -> None:
    try:
        latitude = _degrees(gps[2]) * (-1 if _text(gps.get(1)) == "S" else 1)
        longitude = _degrees(gps[4]) * (-1 if _text(gps.get(3)) == "W" else 1)
    except (KeyError, TypeError, ValueError, ZeroDivisionError) as exc:
        result.find("gps_malformed", exc)
        return
    result.set_place(latitude, longitude)
    if 6 in gps:
        try:
            altitude = float(gps[6]) * (-1 if gps.get(5) in (1, b"\x01") else 1)
            result.put("gps_altitude_m", round(altitude, 1))
        except (TypeError, ValueError, ZeroDivisionError) as exc:
            result.find("gps_malformed", exc)


def _hashes(image: Image.Image, result: Extracted) -> None:
    try:
        image.load()
        result.phash, result.dhash = phash.hashes(image)
    except (OSError, ValueError, SyntaxError) as exc:
        result.find("pixels_unreadable", exc)
