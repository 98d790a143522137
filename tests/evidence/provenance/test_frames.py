"""Key-frame perceptual hashes of videos: a clip re-encoded with another codec at half size (and
a copy cut to its first scenes) is found as a near-duplicate, a clip of other scenes is not;
black frames are left out; the item page lists near-duplicate videos among what the reader may
see."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from justicework.evidence.actions import extract_provenance
from justicework.evidence.models import FrameHash
from justicework.evidence.provenance import frames, media, phash

from ..conftest import upload_file
from . import clips

pytestmark = pytest.mark.django_db
SEEDS = [101, 102, 103, 104]


def _hashes(original):
    rows = FrameHash.objects.filter(original=original).order_by("seq")
    return [phash.to_unsigned(v) for v in rows.values_list("phash", flat=True)]


def _near(original):
    found = phash.near_videos(FrameHash.objects.all(), _hashes(original))
    return {near.original_id: near for near in found if near.original_id != original.pk}


def test_a_clip_has_one_hash_per_scene_key_frame(documenter, acme):
    item = upload_file(documenter, acme, clips.clip(SEEDS), filename="c.mp4")
    row = extract_provenance(item.original)
    stored = FrameHash.objects.filter(original=item.original).order_by("seq")
    assert [round(f.at_s, 1) for f in stored] == [0.0, 1.0, 2.0, 3.0]
    assert {f.phash_b0 for f in stored} and row.phash is None  # videos: frame hashes only
    assert "frames_unreadable" not in [f["code"] for f in row.findings]


def test_a_reencoded_resized_copy_is_near_and_other_scenes_are_not(documenter, acme):
    original = clips.clip(SEEDS)
    copies = {
        "original": original,
        "reencoded": clips.reencoded(original),
        "first_scenes": clips.reencoded(clips.clip(SEEDS[:2]), scale=0.75),
        "different": clips.clip([201, 202, 203, 204]),
    }
    assert copies["reencoded"] != original
    items = {n: upload_file(documenter, acme, d, filename=f"{n}.mp4") for n, d in copies.items()}
    for item in items.values():
        extract_provenance(item.original)
    near = _near(items["original"].original)
    assert items["reencoded"].original_id in near
    assert near[items["reencoded"].original_id].matched == 4
    assert near[items["reencoded"].original_id].distance <= phash.NEAR
    assert items["first_scenes"].original_id in near  # a cut: half of the shorter matches
    assert items["different"].original_id not in near
    from_copy = _near(items["reencoded"].original)
    assert items["original"].original_id in from_copy


def test_black_frames_are_left_out_and_many_key_frames_are_spread():
    from PIL import Image

    assert frames.flat(Image.new("RGB", (64, 48)))
    assert frames.spread(list(range(100)), 4) == [0, 33, 66, 99]
    assert frames.spread([1, 2], 16) == [1, 2]
    black = clips._write([Image.new("RGB", clips.SIZE)] * 20, "mpeg4", clips.SIZE)
    assert media.read(io.BytesIO(black)).frames == []


def test_the_item_page_lists_near_duplicate_videos_the_reader_may_see(
    documenter, acme, outsider, beacon, analyst, login
):
    original = clips.clip(SEEDS)
    item = upload_file(documenter, acme, original, filename="orig.mp4")
    copy = upload_file(documenter, acme, clips.reencoded(original), filename="copy.mp4")
    theirs = upload_file(outsider, beacon, clips.reencoded(original, scale=0.75), filename="b.mp4")
    for each in (item, copy, theirs):
        extract_provenance(each.original)
    page = login(analyst).get(reverse("evidence:item_detail", args=[item.pk])).content.decode()
    assert "near-videos" in page and "copy.mp4" in page and "4 of 4" in page
    assert "b.mp4" not in page  # another organisation's copy is never named
