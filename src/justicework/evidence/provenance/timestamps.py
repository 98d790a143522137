"""Times as files state them: EXIF ``YYYY:MM:DD HH:MM:SS`` with an optional ``OffsetTime*`` tag,
ISO 8601 container times, PDF dates. A time without a zone stays without one (the device's
clock, zone unknown): nothing here guesses a zone."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

_EXIF = re.compile(r"^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})")
_OFFSET = re.compile(r"^([+-])(\d{2}):?(\d{2})$")


def exif_time(text: str) -> str | None:
    """``YYYY-MM-DDTHH:MM:SS`` from an EXIF date, or None when it is not a valid date."""
    match = _EXIF.match(text.strip())
    if match is None:
        return None
    try:
        year, month, day, hour, minute, second = (int(part) for part in match.groups())
        parsed = datetime(year, month, day, hour, minute, second)  # noqa: DTZ001 - EXIF states no zone
    except ValueError:
        return None
    return parsed.strftime("%Y-%m-%dT%H:%M:%S")


def offset(text: str) -> str | None:
    """``+HH:MM`` from an EXIF ``OffsetTime`` value (``+02:00``, ``-0530``, ``Z``), or None."""
    text = text.strip()
    if text in ("Z", "z"):
        return "+00:00"
    match = _OFFSET.match(text)
    if match is None or int(match.group(2)) > 14 or int(match.group(3)) > 59:
        return None
    return f"{match.group(1)}{match.group(2)}:{match.group(3)}"


def split_aware(value: datetime) -> tuple[str, str]:
    """(local time, offset) of a datetime; the offset is empty when it has no zone."""
    local = value.strftime("%Y-%m-%dT%H:%M:%S")
    delta = value.utcoffset()
    if delta is None:
        return local, ""
    return local, _format_delta(delta)


def _format_delta(delta: timedelta) -> str:
    minutes = int(delta.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def iso_time(text: str) -> tuple[str, str] | None:
    """(local time, offset) from an ISO 8601 container time (``2024-05-01T12:00:00.000000Z``)."""
    try:
        parsed = datetime.fromisoformat(text.strip().replace("z", "Z"))
    except ValueError:
        return None
    return split_aware(parsed)
