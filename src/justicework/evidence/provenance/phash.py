"""Perceptual hashes (ImageHash's pHash and dHash, 64 bits each) and the near-duplicate search.

A near-duplicate is another original whose pHash is within ``NEAR`` bits (Hamming distance) of
this one: re-encoded and resized copies measure 0-2, copies cropped by 5 % on each side 6-10,
different pictures 30 and more (tests/evidence/provenance/test_phash.py). The search is
multi-index hashing: the 64 bits are split into four 16-bit bands, each an indexed column. Two
hashes within distance 11 have at least one band within distance 2 (otherwise each of the four
bands differs in 3 bits or more: 12 in all), so the candidates are the rows whose band ``i``
is one of the 137 values within distance 2 of this hash's band ``i``, for any ``i``; their
exact distance is then counted in Python.

Videos have one hash per key frame (``provenance.frames``, the ``FrameHash`` rows, in the same
bands): ``near_videos`` finds the videos whose key frames are close to a video's.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any, NamedTuple

import imagehash
from django.db.models import Count, Q, QuerySet
from PIL import Image

NEAR = 10
BANDS = 4
BAND_BITS = 16
_BAND_MASK = (1 << BAND_BITS) - 1
_RADIUS = 2
_FLIPS = (
    [0]
    + [1 << i for i in range(BAND_BITS)]
    + [(1 << i) | (1 << j) for i, j in combinations(range(BAND_BITS), 2)]
)


def _as_int(value: imagehash.ImageHash) -> int:
    return int(str(value), 16)


def hashes(image: Image.Image) -> tuple[int, int]:
    """(pHash, dHash) of a decoded image, unsigned 64-bit integers."""
    return _as_int(imagehash.phash(image)), _as_int(imagehash.dhash(image))


def to_signed(value: int) -> int:
    """An unsigned 64-bit hash as the signed integer a BIGINT column holds."""
    return value - (1 << 64) if value >= 1 << 63 else value


def to_unsigned(value: int) -> int:
    return value + (1 << 64) if value < 0 else value


def bands(value: int) -> list[int]:
    """The four 16-bit bands of an unsigned hash, lowest first."""
    return [(value >> (BAND_BITS * i)) & _BAND_MASK for i in range(BANDS)]


def band_fields(value: int | None) -> dict[str, int | None]:
    if value is None:
        return {f"phash_b{i}": None for i in range(BANDS)}
    return {f"phash_b{i}": part for i, part in enumerate(bands(value))}


def distance(a: int, b: int) -> int:
    return (to_unsigned(a) ^ to_unsigned(b)).bit_count()


def candidates_q(value: int) -> Q:
    """Rows with one band within distance 2 of ``value``'s (a superset of distance <= 11)."""
    query = Q()
    for i, band in enumerate(bands(to_unsigned(value))):
        query |= Q(**{f"phash_b{i}__in": sorted({band ^ flip for flip in _FLIPS})})
    return query


class Near(NamedTuple):
    original_id: int
    phash: int
    dhash: int | None
    distance: int


def near(rows: QuerySet[Any], value: int, limit: int = NEAR) -> list[Near]:
    """The rows of ``rows`` (Provenance) within ``limit`` of ``value``, nearest first. One
    query; values rather than model instances (the candidates are hundreds per search)."""
    found = []
    candidates = rows.filter(candidates_q(value)).values_list("original_id", "phash", "dhash")
    for original_id, other, dhash in candidates:
        d = distance(other, value)
        if d <= limit:
            found.append(Near(original_id, other, dhash, d))
    found.sort(key=lambda near: near.distance)
    return found


class NearVideo(NamedTuple):
    original_id: int
    distance: int  # the median distance of the matched key frames
    matched: int  # how many of the searched video's key frames have a close frame in this one
    frames: int  # how many key frames the searched video has


def near_videos(rows: QuerySet[Any], values: list[int], limit: int = NEAR) -> list[NearVideo]:
    """Videos among ``rows`` (FrameHash) with close key frames to ``values`` (the searched
    video's key-frame hashes), nearest first. A video is near when at least half of the key
    frames of the shorter of the two have a frame within ``limit`` in the other (a clip cut from
    a longer video is found from either side). Two queries: the band candidates, then the number
    of key frames of each candidate video."""
    if not values:
        return []
    query = Q()
    for value in values:
        query |= candidates_q(value)
    best: dict[int, dict[int, int]] = {}  # original -> searched frame index -> best distance
    for original_id, other in rows.filter(query).values_list("original_id", "phash"):
        for index, value in enumerate(values):
            d = distance(other, value)
            if d <= limit and d < best.setdefault(original_id, {}).get(index, limit + 1):
                best[original_id][index] = d
    counts = dict(
        rows.filter(original_id__in=list(best))
        .values_list("original_id")
        .annotate(count=Count("pk"))
        .values_list("original_id", "count")
    )
    found = []
    for original_id, matches in best.items():
        shorter = min(len(values), counts.get(original_id, 0)) or 1
        if len(matches) * 2 >= shorter:
            median = sorted(matches.values())[len(matches) // 2]
            found.append(NearVideo(original_id, median, len(matches), len(values)))
    found.sort(key=lambda near: (near.distance, -near.matched))
    return found
