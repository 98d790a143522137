"""Metadata-stripped copies of video, audio and PDF originals: the packets copied into a new
container without re-encoding, no metadata left but what the muxer must write; a PDF without
document information or XMP; a copy that cannot be made is a note, not an error."""

from __future__ import annotations

import io

import av
import pytest
from pypdf import PdfReader

from justicework.audit.models import AuditEntry
from justicework.demo import evidence_media as media
from justicework.evidence.actions import make_derivatives
from justicework.evidence.derivatives import make, stripping
from justicework.evidence.models import Derivative
from justicework.evidence.storage import store

from ..conftest import upload_file

pytestmark = pytest.mark.django_db

TAGS = {
    "title": "Checkpoint 7", "comment": "filmed by A. Witness", "artist": "A. Witness",
    "creation_time": "2024-03-01T10:20:30Z", "location": "+48.8584+002.2945/",
    "encoder": "Secret Phone Cam 2.1",
}  # fmt: skip


def _stripped(item) -> tuple[Derivative, bytes]:
    row = Derivative.objects.get(original=item.original, kind="stripped")
    return row, store().open_derivative(row.sha256).read()


def _packets(data: bytes) -> list[tuple[int, bytes]]:
    with av.open(io.BytesIO(data)) as container:
        return [(p.stream.index, bytes(p)) for p in container.demux() if p.dts is not None]


def _tags(data: bytes) -> tuple[dict[str, str], list[dict[str, str]]]:
    with av.open(io.BytesIO(data)) as container:
        return dict(container.metadata), [dict(s.metadata) for s in container.streams]


def test_a_video_is_remuxed_without_its_metadata_and_without_re_encoding(documenter, acme):
    original = media.video(**TAGS)
    assert {"title", "location", "creation_time"} <= set(_tags(original)[0])
    item = upload_file(documenter, acme, original, filename="v.mp4")
    outcome = make_derivatives(item.original)
    assert not outcome.problem and not outcome.notes
    row, copy = _stripped(item)
    assert (row.media_type, row.tool) == (item.original.media_type, "PyAV")
    container, streams = _tags(copy)
    # what the MP4 muxer must write (the ftyp box, each track's hdlr and mdhd), nothing else
    assert set(container) <= {"major_brand", "minor_version", "compatible_brands"}
    assert all(set(tags) <= {"handler_name", "vendor_id", "language"} for tags in streams)
    assert stripping.media_metadata_left(copy) == []
    for value in ("Checkpoint", "Witness", "48.8584", "Secret Phone", "2024-03-01", "Lavf"):
        assert value.encode() not in copy
    assert _packets(copy) == _packets(original)  # the same coded frames: not re-encoded


def test_an_audio_file_gets_a_stripped_copy_of_the_same_samples(documenter, acme):
    original = media.wav(seconds=0.3)
    item = upload_file(documenter, acme, original, filename="a.wav")
    outcome = make_derivatives(item.original)
    assert not outcome.problem
    row, copy = _stripped(item)
    assert row.media_type == item.original.media_type
    assert stripping.media_metadata_left(copy) == [] and b"Lavf" not in copy
    assert _packets(copy) == _packets(original)


def test_the_check_names_what_a_container_still_carries():
    left = stripping.media_metadata_left(media.video(**TAGS))
    assert {"container:title", "container:location", "container:creation_time"} <= set(left)


def test_a_pdf_loses_its_document_information_and_xmp(documenter, acme):
    original = media.pdf(**{"/Title": "Witness list", "/Author": "A. Witness"})
    item = upload_file(documenter, acme, original, filename="r.pdf")
    make_derivatives(item.original)
    row, copy = _stripped(item)
    assert (row.media_type, row.tool) == ("application/pdf", "pypdf")
    reader = PdfReader(io.BytesIO(copy))
    assert reader.metadata is None and "/Metadata" not in reader.trailer["/Root"]
    assert len(reader.pages) == 2
    assert b"Witness" not in copy and b"pypdf" not in copy
    assert stripping.pdf_metadata_left(original) == ["document information"]


def test_a_container_that_cannot_be_remuxed_is_a_note_and_the_rest_is_kept(
    documenter, acme, monkeypatch
):
    item = upload_file(documenter, acme, media.video(**TAGS), filename="v.mp4")
    monkeypatch.delitem(stripping.MUXERS, item.original.media_type)
    outcome = make_derivatives(item.original)
    assert not outcome.problem
    assert outcome.notes == {"stripped": f"no remuxer for {item.original.media_type}"}
    assert {row.kind for row in outcome.made} == {"thumbnail", "preview"}
    entry = AuditEntry.objects.filter(action="evidence.derivative.made").latest("seq")
    assert entry.diff["not_made"] == outcome.notes


def test_an_audio_file_that_cannot_be_read_is_a_problem_and_nothing_is_written(documenter, acme):
    item = upload_file(documenter, acme, media.wav()[:40], filename="cut.wav")
    outcome = make_derivatives(item.original)
    if item.original.media_type.startswith("audio/"):
        assert outcome.problem
    assert not Derivative.objects.filter(original=item.original).exists()


def test_make_notes_an_unmapped_video_type():
    derived = make.make("video/x-flv", io.BytesIO(media.video()))
    assert [m.kind for m in derived.made] == ["thumbnail", "preview"]
    assert derived.notes == {"stripped": "no remuxer for video/x-flv"}


def test_the_item_page_says_why_there_is_no_stripped_copy(documenter, acme, login, monkeypatch):
    item = upload_file(documenter, acme, media.video(**TAGS), filename="v.mp4")
    monkeypatch.delitem(stripping.MUXERS, item.original.media_type)
    make_derivatives(item.original)
    page = login(documenter).get(f"/evidence/items/{item.pk}/").content.decode()
    assert "No copy without metadata was made: no remuxer for" in page


def test_the_stripped_copy_of_a_video_downloads_as_a_video(documenter, acme, login):
    item = upload_file(documenter, acme, media.video(**TAGS), filename="v.mp4")
    make_derivatives(item.original)
    response = login(documenter).post(f"/evidence/items/{item.pk}/stripped-copy")
    assert response.status_code == 200 and response["Content-Type"] == "video/mp4"
    assert response["Content-Disposition"].endswith('-stripped.mp4"')
    _row, copy = _stripped(item)
    assert b"".join(response.streaming_content) == copy
