"""Derivatives: thumbnail, preview and a metadata-stripped copy of pictures (no EXIF, GPS, XMP
left, checked by Pillow and by the vault's own EXIF reader), a poster frame of videos, a
stripped copy of video, audio and PDF (``test_strip_media``), none for other types; stored
content-addressed beside the original, which is not changed; made after intake by the task
worker and by ``justicework evidence derive``."""

from __future__ import annotations

import hashlib
import io
import os

import pytest
from django.core.management import CommandError, call_command
from PIL import Image

from justicework.audit.models import AuditEntry
from justicework.evidence.actions import make_derivatives
from justicework.evidence.derivatives import make
from justicework.evidence.models import Derivative
from justicework.evidence.provenance import exif
from justicework.evidence.storage import store

from ..conftest import upload_file
from ..provenance import files

pytestmark = pytest.mark.django_db

XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-'
    b'syntax-ns#"><rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool='
    b'"Secret Phone"/></rdf:RDF></x:xmpmeta>'
)


def _gps_jpeg(seed: int = 50) -> bytes:
    image = files.picture(seed)
    data = files.jpeg_with_exif(
        image, make="Canon", model="EOS", taken="2024:05:01 14:03:22", gps=(48.8584, 2.2945)
    )
    out = io.BytesIO()
    with Image.open(io.BytesIO(data)) as opened:
        opened.save(out, "JPEG", exif=opened.getexif(), xmp=XMP, quality=90)
    return out.getvalue()


def _rows(original):
    return {row.kind: row for row in Derivative.objects.filter(original=original)}


def test_a_picture_gets_a_thumbnail_a_preview_and_a_stripped_copy(documenter, acme):
    data = _gps_jpeg()
    assert b"http://ns.adobe.com/xap/" in data and exif.read(io.BytesIO(data)).latitude
    item = upload_file(documenter, acme, data, filename="place.jpg")
    before = store().path_for(item.original.sha256).stat()
    outcome = make_derivatives(item.original)
    rows = _rows(item.original)
    assert set(rows) == {"thumbnail", "preview", "stripped"} and not outcome.problem
    for row in rows.values():
        stored = store().derivative_path(row.sha256).read_bytes()
        assert hashlib.sha256(stored).hexdigest() == row.sha256 and len(stored) == row.size
        assert row.storage_key == f"derivatives/{row.sha256[:2]}/{row.sha256[2:4]}/{row.sha256}"
        assert row.tool == "Pillow" and row.tool_version
    with Image.open(store().open_derivative(rows["thumbnail"].sha256)) as thumb:
        assert max(thumb.size) == make.THUMBNAIL_PX
    stripped = store().derivative_path(rows["stripped"].sha256).read_bytes()
    assert rows["stripped"].media_type == "image/jpeg"
    with Image.open(io.BytesIO(stripped)) as image:
        assert image.size == (640, 480) and len(image.getexif()) == 0
        assert not image.getexif().get_ifd(0x8825) and "xmp" not in image.info
    assert b"http://ns.adobe.com/xap/" not in stripped and b"Exif\x00\x00" not in stripped
    assert b"Canon" not in stripped and b"Secret Phone" not in stripped
    read = exif.read(io.BytesIO(stripped))
    assert read.latitude is None and read.longitude is None and "make" not in read.metadata
    after = store().path_for(item.original.sha256)
    assert after.read_bytes() == data and after.stat().st_mtime_ns == before.st_mtime_ns
    assert AuditEntry.objects.filter(action="evidence.derivative.made").count() == 1


def test_a_png_with_text_chunks_is_stripped_to_a_bare_png(documenter, acme):
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "GPS 48.85 2.29")
    out = io.BytesIO()
    files.picture(51).save(out, "PNG", pnginfo=info)
    item = upload_file(documenter, acme, out.getvalue(), filename="p.png")
    make_derivatives(item.original)
    row = _rows(item.original)["stripped"]
    stripped = store().derivative_path(row.sha256).read_bytes()
    assert row.media_type == "image/png" and b"GPS 48.85" not in stripped
    assert make.stripped_metadata(stripped) == []


def test_the_stripped_check_refuses_a_copy_that_keeps_metadata():
    assert make.stripped_metadata(_gps_jpeg()) == ["EXIF", "GPS", "XMP"]


def test_a_video_gets_a_poster_frame_and_a_stripped_copy(documenter, acme):
    item = upload_file(documenter, acme, files.video(), filename="v.mp4")
    make_derivatives(item.original)
    rows = _rows(item.original)
    assert set(rows) == {"thumbnail", "preview", "stripped"}
    assert rows["preview"].tool == "PyAV+Pillow" and "+" in rows["preview"].tool_version
    with Image.open(store().open_derivative(rows["preview"].sha256)) as poster:
        assert poster.size == (64, 48)


def test_other_types_get_none(documenter, acme):
    text = upload_file(documenter, acme, b"just words\n", filename="t.txt")
    assert make_derivatives(text.original).skipped
    assert not Derivative.objects.filter(original=text.original).exists()


def test_an_undecodable_picture_is_a_problem_and_nothing_is_written(documenter, acme):
    data = files.encode(files.picture(52), "PNG")
    item = upload_file(documenter, acme, data[:300], filename="cut.png")
    outcome = make_derivatives(item.original)
    assert outcome.problem and str(store().root) not in outcome.problem
    assert not Derivative.objects.filter(original=item.original).exists()


def test_a_missing_original_file_is_a_problem(documenter, acme):
    item = upload_file(documenter, acme, files.encode(files.picture(53), "PNG"), filename="m.png")
    path = store().path_for(item.original.sha256)
    os.chmod(path, 0o640)
    path.unlink()
    assert make_derivatives(item.original).problem == "the original's file is missing"


def test_making_again_replaces_the_rows_and_keeps_one_per_kind(documenter, acme):
    item = upload_file(documenter, acme, files.encode(files.picture(54), "PNG"), filename="a.png")
    make_derivatives(item.original)
    assert make_derivatives(item.original).skipped  # made already
    again = make_derivatives(item.original, again=True)
    assert len(again.made) == 3 and Derivative.objects.filter(original=item.original).count() == 3


def test_intake_makes_derivatives_after_commit(
    documenter, acme, django_capture_on_commit_callbacks
):
    data = files.encode(files.picture(55), "JPEG")
    with django_capture_on_commit_callbacks(execute=True):
        item = upload_file(documenter, acme, data, filename="p.jpg")
    assert set(_rows(item.original)) == {"thumbnail", "preview", "stripped"}


def test_the_command_derives_missing_then_one_item_again(documenter, acme, capsys):
    first = upload_file(documenter, acme, files.encode(files.picture(56), "PNG"), filename="a.png")
    upload_file(documenter, acme, files.pdf(), filename="r.pdf")
    upload_file(documenter, acme, b"\x89PNG\r\n\x1a\n broken", filename="b.png")
    call_command("evidence", "derive")
    out = capsys.readouterr().out
    assert "3 original(s) done." in out and "thumbnail " in out and "not made: " in out
    assert "application/pdf: thumbnail " in out and ", stripped " in out
    call_command("evidence", "derive")
    assert "1 original(s) done." in capsys.readouterr().out  # the broken one is tried again
    call_command("evidence", "derive", "--item", str(first.pk))
    assert "1 original(s) done." in capsys.readouterr().out
    assert Derivative.objects.filter(original=first.original).count() == 3


def test_the_command_refuses_a_missing_item(db):
    with pytest.raises(CommandError, match="no evidence item 424242"):
        call_command("evidence", "derive", "--item", "424242")
