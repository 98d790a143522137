"""Perceptual hashes of a video's key frames (PyAV decodes only the key frames; ImageHash's
pHash as for pictures), so that near-duplicate search finds re-encoded, resized or cut copies of
the same clip (docs/evidence.md, "Near-duplicates").

Key frames are where an encoder starts a picture afresh: at scene cuts and at a fixed interval.
A re-encoded copy puts its key frames at the same scene cuts (encoders detect them) and, between
cuts, at times whose pictures change little, so most of one copy's key-frame hashes have a close
hash among the other's. Frames with almost no contrast (black, fades) are left out: their pHash
says nothing about the clip. At most ``MAX_DECODED`` key frames are decoded, and ``MAX_KEPT`` of
them, evenly spread, are kept.
"""

from __future__ import annotations

from typing import Any

from PIL import Image, ImageStat

from justicework.evidence.provenance import phash

MAX_DECODED = 300
MAX_KEPT = 16
#: a frame whose grey levels (0-255, at 32x32) vary less than this is "flat" and left out
FLAT_STDDEV = 6.0


def flat(image: Image.Image) -> bool:
    small = image.convert("L").resize((32, 32))
    return float(ImageStat.Stat(small).stddev[0]) < FLAT_STDDEV


def spread(values: list[Any], count: int) -> list[Any]:
    """``count`` of ``values`` evenly spread (the first and last included), in order."""
    if len(values) <= count:
        return values
    step = (len(values) - 1) / (count - 1)
    return [values[round(i * step)] for i in range(count)]


def key_frame_hashes(container: Any) -> list[tuple[float, int]]:
    """``(time in seconds, unsigned pHash)`` of the key frames of the first video stream of an
    open PyAV ``container`` ([] when it has none)."""
    if not container.streams.video:
        return []
    video = container.streams.video[0]
    video.codec_context.skip_frame = "NONKEY"
    found: list[tuple[float, int]] = []
    for decoded, frame in enumerate(container.decode(video)):
        if decoded >= MAX_DECODED:
            break
        image = frame.to_image()
        if flat(image):
            continue
        at = float(frame.time) if frame.time is not None else 0.0
        found.append((round(at, 3), phash.hashes(image)[0]))
    return spread(found, MAX_KEPT)
