"""tus PATCH: offsets, checksums, the whole-file hash, completion and crash leftovers."""

from __future__ import annotations

import base64
import hashlib
import os

from justicework.audit.models import AuditEntry
from justicework.evidence.models import CustodyEntry, Item, Original, Upload
from justicework.evidence.storage import store

from ..conftest import sha256, upload_of

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8


def _b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode()


def test_chunks_complete_into_an_item_with_both_hashes_type_and_custody(documenter, login, tus):
    last = tus(login(documenter)).send(PNG, chunk=700, filename="../../shot.exe", collector="Ana")
    item = Item.objects.get()
    original = item.original
    assert original.sha256 == sha256(PNG) == last["Evidence-Sha256"]
    assert original.sha512 == hashlib.sha512(PNG).hexdigest()
    assert (original.size, original.media_type) == (len(PNG), "image/png")
    assert item.display_name == "shot.exe" and item.extension_matches is False
    assert item.submitted_name == "../../shot.exe"
    assert last["Evidence-Item"] == f"/evidence/items/{item.pk}/"
    assert [e.event for e in item.custody.order_by("seq")] == ["collected", "received"]
    assert store().path_for(original.sha256).read_bytes() == PNG
    upload = Upload.objects.get()
    assert upload.status == Upload.Status.COMPLETED and upload.item == item
    assert not store().part_path(upload.pk).exists()
    assert AuditEntry.objects.filter(action="evidence.upload.completed").count() == 1


def test_a_wrong_offset_is_409_and_changes_nothing(documenter, login, tus):
    speaker = tus(login(documenter))
    location = speaker.create(100)["Location"]
    assert speaker.patch(location, 0, b"x" * 10).status_code == 204
    response = speaker.patch(location, 5, b"y" * 10)
    assert response.status_code == 409 and response["Upload-Offset"] == "10"
    assert "at byte 10, not 5" in response.content.decode()
    assert upload_of(location).offset == 10


def test_the_wrong_content_type_is_415(documenter, login, tus):
    speaker = tus(login(documenter))
    location = speaker.create(10)["Location"]
    response = speaker.client.generic(
        "PATCH", location, b"x" * 10, content_type="application/octet-stream",
        headers={"Tus-Resumable": "1.0.0", "Upload-Offset": "0"},
    )  # fmt: skip
    assert response.status_code == 415 and upload_of(location).offset == 0


def test_a_chunk_past_the_declared_length_is_413(documenter, login, tus):
    speaker = tus(login(documenter))
    location = speaker.create(10)["Location"]
    assert speaker.patch(location, 0, b"x" * 11).status_code == 413
    assert upload_of(location).offset == 0


def test_a_matching_upload_checksum_is_accepted(documenter, login, tus):
    speaker = tus(login(documenter))
    location = speaker.create(20)["Location"]
    chunk = b"a" * 10
    for algorithm in ("sha1", "sha256"):
        checksum = f"{algorithm} {_b64(hashlib.new(algorithm, chunk).digest())}"
        offset = upload_of(location).offset
        assert (
            speaker.patch(location, offset, chunk, **{"Upload-Checksum": checksum}).status_code
            == 204
        )
    assert Item.objects.count() == 1


def test_a_checksum_mismatch_is_460_and_the_chunk_is_dropped(documenter, login, tus):
    speaker = tus(login(documenter))
    location = speaker.create(20)["Location"]
    speaker.patch(location, 0, b"a" * 10)
    wrong = f"sha256 {_b64(hashlib.sha256(b'other').digest())}"
    response = speaker.patch(location, 10, b"b" * 10, **{"Upload-Checksum": wrong})
    assert response.status_code == 460
    upload = upload_of(location)
    assert upload.offset == 10
    assert store().part_path(upload.pk).stat().st_size == 10
    # the right bytes afterwards give the right hashes: the dropped chunk left no trace
    assert speaker.patch(location, 10, b"c" * 10).status_code == 204
    assert Item.objects.get().original.sha256 == sha256(b"a" * 10 + b"c" * 10)


def test_an_unknown_checksum_algorithm_is_400(documenter, login, tus):
    speaker = tus(login(documenter))
    location = speaker.create(10)["Location"]
    response = speaker.patch(location, 0, b"a" * 10, **{"Upload-Checksum": "crc32 AAAA"})
    assert response.status_code == 400 and "crc32 is not supported" in response.content.decode()


def test_a_declared_whole_file_hash_that_differs_refuses_and_keeps_nothing(documenter, login, tus):
    speaker = tus(login(documenter))
    declared = sha256(b"what the collector hashed")
    location = speaker.create(10, filename="a.txt", sha256=declared)["Location"]
    response = speaker.patch(location, 0, b"0123456789")
    assert response.status_code == 460
    assert "refused and nothing was kept" in response.content.decode()
    upload = upload_of(location)
    assert upload.status == Upload.Status.REFUSED
    assert not Item.objects.exists() and not Original.objects.exists()
    assert not store().part_path(upload.pk).exists()
    assert not store().exists(sha256(b"0123456789"))
    assert speaker.head(location).status_code == 410
    assert AuditEntry.objects.filter(action="evidence.upload.refused").count() == 1


def test_a_declared_hash_that_matches_is_recorded(documenter, login, tus):
    data = b"declared and matching"
    tus(login(documenter)).send(data, filename="a.txt", sha256=sha256(data).upper())
    received = CustodyEntry.objects.get(event="received")
    assert received.detail["declared_sha256"] == sha256(data)


def test_bytes_past_the_stored_offset_are_cut_before_appending(documenter, login, tus):
    """A PATCH killed after writing but before recording leaves bytes beyond the offset."""
    speaker = tus(login(documenter))
    location = speaker.create(20)["Location"]
    speaker.patch(location, 0, b"a" * 10)
    part = store().part_path(upload_of(location).pk)
    with part.open("ab") as handle:
        handle.write(b"GARBAGE FROM A DEAD REQUEST")
    assert speaker.head(location)["Upload-Offset"] == "10"
    assert speaker.patch(location, 10, b"b" * 10).status_code == 204
    assert Item.objects.get().original.sha256 == sha256(b"a" * 10 + b"b" * 10)


def test_head_tells_offset_length_and_the_item_once_finished(documenter, login, tus):
    speaker = tus(login(documenter))
    location = speaker.create(4)["Location"]
    speaker.patch(location, 0, b"ab")
    head = speaker.head(location)
    assert (head.status_code, head["Upload-Offset"], head["Upload-Length"]) == (200, "2", "4")
    assert head["Cache-Control"] == "no-store"
    speaker.patch(location, 2, b"cd")
    head = speaker.head(location)
    assert head["Upload-Offset"] == "4" and head["Evidence-Sha256"] == sha256(b"abcd")


def test_the_same_bytes_twice_make_one_original_and_two_items(documenter, outsider, login, tus):
    data = os.urandom(3000)
    tus(login(documenter)).send(data, filename="first.bin")
    tus(login(outsider)).send(data, filename="second.bin")
    assert Original.objects.count() == 1
    first, second = Item.objects.order_by("pk")
    assert first.original == second.original
    assert (first.organisation, second.organisation) == (
        documenter.active_memberships()[0].organisation,
        outsider.active_memberships()[0].organisation,
    )
    assert first.custody.count() == second.custody.count() == 1
    assert first.custody.get().hash != second.custody.get().hash
    files = [p for p in (store().root / "originals").rglob("*") if p.is_file()]
    assert len(files) == 1


def test_an_upload_finished_on_disk_but_not_recorded_completes_on_head(documenter, login, tus):
    """A crash after the last offset was recorded and before the item: HEAD finishes it."""
    speaker = tus(login(documenter))
    location = speaker.create(6)["Location"]
    upload = upload_of(location)
    import io

    from justicework.evidence import actions
    from justicework.evidence.intake.receive import receive

    offset, states = receive(upload, store().part_path(upload.pk), io.BytesIO(b"abcdef"), 6, None)
    actions.advance_upload(documenter, upload, offset=offset, states=states)
    assert not Item.objects.exists()
    head = speaker.head(location)
    assert head["Evidence-Sha256"] == sha256(b"abcdef")
    assert Item.objects.count() == 1


def test_an_expired_upload_is_410(documenter, login, tus):
    speaker = tus(login(documenter))
    location = speaker.create(10)["Location"]
    from django.utils import timezone

    Upload.objects.update(expires_at=timezone.now())
    assert speaker.head(location).status_code == 410
    assert speaker.patch(location, 0, b"a" * 10).status_code == 410


def test_termination_ends_the_upload_and_drops_its_bytes(documenter, login, tus):
    speaker = tus(login(documenter))
    location = speaker.create(10)["Location"]
    speaker.patch(location, 0, b"abc")
    upload = upload_of(location)
    assert speaker.delete(location).status_code == 204
    assert upload_of(location).status == Upload.Status.TERMINATED
    assert not store().part_path(upload.pk).exists()
    assert speaker.head(location).status_code == 410
    assert AuditEntry.objects.filter(action="evidence.upload.terminated").count() == 1
