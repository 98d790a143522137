"""What an extractor returns: fields, findings, time and place of capture, perceptual hashes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Extracted:
    kind: str  # Provenance.Kind value
    metadata: dict[str, Any] = field(default_factory=dict)
    findings: list[dict[str, str]] = field(default_factory=list)
    captured_local: str = ""  # YYYY-MM-DDTHH:MM:SS as the file states it
    captured_offset: str = ""  # +HH:MM when the file states one
    latitude: float | None = None
    longitude: float | None = None
    phash: int | None = None  # unsigned 64-bit
    dhash: int | None = None
    credentials: dict[str, Any] = field(default_factory=dict)  # C2PA (``credentials``)
    frames: list[tuple[float, int]] = field(default_factory=list)  # video key frames' pHashes

    def find(self, code: str, detail: object = "") -> None:
        """Record a finding; ``detail`` is the library's words (an exception), cut short."""
        text = (
            f"{type(detail).__name__}: {detail}"
            if isinstance(detail, BaseException)
            else str(detail)
        )
        self.findings.append({"code": code, "detail": text[:300]})

    def put(self, name: str, value: Any) -> None:
        """Keep a field when it has a value; strings are stripped of NULs and cut to 500."""
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        if isinstance(value, str):
            value = value.replace("\x00", "").strip()[:500]
        if value not in (None, ""):
            self.metadata[name] = value

    def set_place(self, latitude: float, longitude: float) -> None:
        if -90 <= latitude <= 90 and -180 <= longitude <= 180:
            self.latitude, self.longitude = round(latitude, 7), round(longitude, 7)
        else:
            self.find("gps_out_of_range", f"{latitude}, {longitude}")
