"""Reading metadata from stored originals: images (EXIF, GPS, time zones), PDFs, audio and video;
malformed files are findings; the stored file is never changed."""

from __future__ import annotations

import hashlib
import os

import pytest

from justicework.audit.models import AuditEntry
from justicework.evidence.actions import extract_provenance
from justicework.evidence.models import Provenance
from justicework.evidence.storage import store

from ..conftest import upload_file
from . import files

pytestmark = pytest.mark.django_db


def codes(row: Provenance) -> list[str]:
    return [finding["code"] for finding in row.findings]


def test_exif_camera_time_with_offset_and_gps_are_read(documenter, acme):
    data = files.jpeg_with_exif(
        files.picture(1), make="Canon", model="EOS Test", taken="2024:05:01 14:03:22",
        offset="+02:00", gps=(48.8584, -2.2945),
    )  # fmt: skip
    row = extract_provenance(upload_file(documenter, acme, data, filename="p.jpg").original)
    assert row.kind == "image"
    assert row.metadata["camera_make"] == "Canon" and row.metadata["camera_model"] == "EOS Test"
    assert (row.metadata["width"], row.metadata["height"]) == (640, 480)
    assert (row.captured_local, row.captured_offset) == ("2024-05-01T14:03:22", "+02:00")
    assert row.latitude == pytest.approx(48.8584, abs=1e-5)
    assert row.longitude == pytest.approx(-2.2945, abs=1e-5)
    assert row.phash is not None and row.dhash is not None and row.phash_b0 is not None
    assert codes(row) == ["c2pa_none"]


def test_an_exif_time_without_offset_says_the_zone_is_unknown(documenter, acme):
    data = files.jpeg_with_exif(files.picture(2), make="Nikon", taken="2023:12:31 23:59:59")
    row = extract_provenance(upload_file(documenter, acme, data, filename="p.jpg").original)
    assert (row.captured_local, row.captured_offset) == ("2023-12-31T23:59:59", "")
    assert "time_without_zone" in codes(row)


def test_an_invalid_exif_date_is_a_finding(documenter, acme):
    data = files.jpeg_with_exif(files.picture(3), make="X", taken="2023:13:45 99:00:00")
    row = extract_provenance(upload_file(documenter, acme, data, filename="p.jpg").original)
    assert row.captured_local == "" and "time_malformed" in codes(row)


def test_an_image_without_exif_is_a_finding_and_still_hashed(documenter, acme):
    data = files.encode(files.picture(4), "PNG")
    row = extract_provenance(upload_file(documenter, acme, data, filename="p.png").original)
    assert codes(row) == ["no_exif", "c2pa_none"] and row.phash is not None


def test_a_truncated_jpeg_keeps_its_exif_and_reports_the_pixels(documenter, acme):
    data = files.jpeg_with_exif(files.picture(5), make="Canon", taken="2024:01:02 03:04:05")
    cut = data[: len(data) // 2]
    row = extract_provenance(upload_file(documenter, acme, cut, filename="p.jpg").original)
    assert row.metadata["camera_make"] == "Canon"
    assert "pixels_unreadable" in codes(row) and row.phash is None and row.phash_b0 is None


JUNK = [
    b"\xff\xd8\xff\xe1\x00\x10Exif\x00\x00garbage" + b"\x00" * 64,
    b"GIF89a" + b"\x00" * 5,
    b"\x89PNG\r\n\x1a\n" + b"\xff" * 40,
]


@pytest.mark.parametrize("junk", JUNK)
def test_corrupt_images_are_findings_never_errors(documenter, acme, junk):
    item = upload_file(documenter, acme, junk, filename="p.img")
    row = extract_provenance(item.original)
    assert row.findings and row.phash is None


def test_the_original_is_not_changed_by_extraction(documenter, acme):
    data = files.jpeg_with_exif(files.picture(6), make="Canon", gps=(1.5, 2.5))
    item = upload_file(documenter, acme, data, filename="p.jpg")
    path = store().path_for(item.original.sha256)
    before = os.stat(path)
    extract_provenance(item.original)
    after = os.stat(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == item.original.sha256
    assert (before.st_mtime_ns, before.st_size, before.st_mode) == (
        after.st_mtime_ns, after.st_size, after.st_mode)  # fmt: skip


def test_pdf_information_and_dates_are_read(documenter, acme):
    data = files.pdf(**{"/Title": "Site report", "/Author": "Field unit",
                        "/CreationDate": "D:20240501120000+02'00'"})  # fmt: skip
    row = extract_provenance(upload_file(documenter, acme, data, filename="r.pdf").original)
    assert row.kind == "pdf" and row.metadata["pages"] == 2
    assert row.metadata["title"] == "Site report" and row.metadata["author"] == "Field unit"
    assert (row.captured_local, row.captured_offset) == ("2024-05-01T12:00:00", "+02:00")
    assert codes(row) == ["c2pa_none"]


def test_a_pdf_date_without_zone_is_a_finding(documenter, acme):
    data = files.pdf(**{"/CreationDate": "D:20240501120000"})
    row = extract_provenance(upload_file(documenter, acme, data, filename="r.pdf").original)
    assert row.captured_offset == "" and "time_without_zone" in codes(row)


def test_a_truncated_pdf_is_a_finding(documenter, acme):
    data = files.pdf(**{"/Title": "x"})
    row = extract_provenance(upload_file(documenter, acme, data[:300], filename="r.pdf").original)
    assert codes(row)[0] == "unreadable" and row.metadata == {}


def test_video_container_time_place_and_streams_are_read(documenter, acme):
    data = files.video(creation_time="2024-05-01T12:00:00.000000Z", location="+48.8584-002.2945/")
    row = extract_provenance(upload_file(documenter, acme, data, filename="v.mp4").original)
    assert row.kind == "media"
    assert row.metadata["duration_s"] == pytest.approx(2.0, abs=0.2)
    assert "video mpeg4 64x48" in row.metadata["streams"]
    assert (row.captured_local, row.captured_offset) == ("2024-05-01T12:00:00", "+00:00")
    assert (row.latitude, row.longitude) == (48.8584, -2.2945)


def test_audio_duration_and_codec_are_read(documenter, acme):
    row = extract_provenance(upload_file(documenter, acme, files.wav(), filename="a.wav").original)
    assert row.kind == "media" and row.metadata["duration_s"] == 0.5
    assert row.metadata["streams"] == "audio pcm_s16le 8000 Hz 1 ch"


def test_a_truncated_video_is_a_finding(documenter, acme):
    data = files.video()[:300]
    item = upload_file(documenter, acme, data, filename="v.mp4")
    row = extract_provenance(item.original)
    assert row.findings and row.metadata.get("duration_s") is None


def test_a_missing_file_is_a_finding(documenter, acme):
    item = upload_file(documenter, acme, files.encode(files.picture(7), "PNG"), filename="p.png")
    store().path_for(item.original.sha256).unlink()
    assert codes(extract_provenance(item.original)) == ["file_missing"]


def test_extracting_again_replaces_the_row_and_is_audited(documenter, acme):
    item = upload_file(documenter, acme, files.encode(files.picture(8), "PNG"), filename="p.png")
    extract_provenance(item.original)
    extract_provenance(item.original)
    assert Provenance.objects.filter(original=item.original).count() == 1
    entries = AuditEntry.objects.filter(action="evidence.provenance.extracted")
    assert [e.diff["replaced"] for e in entries.order_by("seq")] == [False, True]


def test_other_files_get_a_row_without_reading(documenter, acme):
    row = extract_provenance(
        upload_file(documenter, acme, b"plain words", filename="t.txt").original
    )
    assert row.kind == "other" and row.metadata == {} and row.findings == []


def test_findings_never_name_the_stores_directory(documenter, acme):
    item = upload_file(documenter, acme, b"GIF89a" + b"\x00" * 5, filename="p.gif")
    row = extract_provenance(item.original)
    root = str(store().root)
    assert row.findings and all(root not in f["detail"] for f in row.findings)
