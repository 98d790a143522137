"""Perceptual hashes and near-duplicates: re-encoded, resized and lightly cropped copies are
flagged with their distance, a different picture is not; the band look-up finds every hash
within the limit (a superset of them), whatever the bits."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from justicework.evidence.actions import extract_provenance
from justicework.evidence.models import Provenance
from justicework.evidence.provenance import phash

from ..conftest import upload_file
from . import files

BITS64 = st.integers(min_value=0, max_value=(1 << 64) - 1)


@settings(max_examples=300, deadline=None)
@given(BITS64, st.sets(st.integers(min_value=0, max_value=63), max_size=11))
def test_a_hash_within_eleven_bits_shares_a_band_within_two(value, flipped):
    other = value
    for bit in flipped:
        other ^= 1 << bit
    pairs = zip(phash.bands(value), phash.bands(other), strict=True)
    close = any((a ^ b).bit_count() <= 2 for a, b in pairs)
    assert close and phash.distance(value, other) == len(flipped)


@settings(max_examples=200, deadline=None)
@given(BITS64)
def test_signed_storage_round_trips(value):
    signed = phash.to_signed(value)
    assert -(1 << 63) <= signed < 1 << 63 and phash.to_unsigned(signed) == value


def _copies(seed: int) -> dict[str, bytes]:
    image = files.picture(seed)
    w, h = image.size
    return {
        "original": files.encode(image, "PNG"),
        "reencoded": files.encode(image, "JPEG", quality=40),
        "resized": files.encode(image.resize((w // 2, h // 2)), "PNG"),
        "cropped": files.encode(image.crop((w // 20, h // 20, w - w // 20, h - h // 20)), "JPEG"),
        "different": files.encode(files.picture(seed + 1000), "PNG"),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_copies_are_near_and_a_different_picture_is_not(documenter, acme, seed):
    rows = {}
    for name, data in _copies(seed).items():
        item = upload_file(documenter, acme, data, filename=f"{name}.img")
        rows[name] = extract_provenance(item.original)
    near = phash.near(Provenance.objects.exclude(phash=None), rows["original"].phash)
    found = {row.original_id: row.distance for row in near}
    for name in ("original", "reencoded", "resized", "cropped"):
        assert rows[name].original_id in found, name
        assert found[rows[name].original_id] <= phash.NEAR
    assert found[rows["original"].original_id] == 0
    assert rows["different"].original_id not in found
    assert phash.distance(rows["original"].phash, rows["different"].phash) > 2 * phash.NEAR


@pytest.mark.django_db
def test_the_band_lookup_is_one_query(documenter, acme, django_assert_num_queries):
    item = upload_file(documenter, acme, files.encode(files.picture(9), "PNG"), filename="p.png")
    row = extract_provenance(item.original)
    with django_assert_num_queries(1):
        assert [n.distance for n in phash.near(Provenance.objects.all(), row.phash)] == [0]
