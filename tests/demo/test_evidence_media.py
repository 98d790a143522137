"""``demo.evidence_media``: the synthetic files the evidence demo stores. A seed gives the same
picture; the metadata written (camera, time, GPS, document information, container tags) reads
back as the evidence app's extractors will find it; a forwarded copy is a smaller re-encoding
without EXIF; the sounds have the length asked for."""

from __future__ import annotations

import io
import wave

import pytest
from PIL import Image
from pypdf import PdfReader

from justicework.demo import evidence_media as media


def test_a_seed_gives_the_same_picture_and_another_seed_another():
    first = media.picture(5, (80, 60))
    assert first.size == (80, 60) and first.mode == "RGB"
    assert first.tobytes() == media.picture(5, (80, 60)).tobytes()
    assert first.tobytes() != media.picture(6, (80, 60)).tobytes()


def exif_of(jpeg: bytes) -> Image.Exif:
    with Image.open(io.BytesIO(jpeg)) as image:
        assert image.format == "JPEG"
        return image.getexif()


def degrees(dms: tuple) -> float:
    return float(dms[0]) + float(dms[1]) / 60 + float(dms[2]) / 3600


@pytest.mark.parametrize(("lat", "lon", "refs"), [(50.4501, 30.5234, ("N", "E")),
                                                  (-4.3217, -15.3125, ("S", "W"))])  # fmt: skip
def test_the_camera_time_and_position_read_back_from_the_exif(lat, lon, refs):
    jpeg = media.jpeg_with_exif(
        media.picture(1, (64, 48)), make="Fictional", model="Cam 2", taken="2024:03:01 10:20:30",
        offset="+02:00", gps=(lat, lon),
    )  # fmt: skip
    exif = exif_of(jpeg)
    assert (exif[271], exif[272]) == ("Fictional", "Cam 2")
    sub = exif.get_ifd(0x8769)
    assert (sub[36867], sub[36881]) == ("2024:03:01 10:20:30", "+02:00")
    gps = exif.get_ifd(0x8825)
    assert (gps[1], gps[3]) == refs
    assert degrees(gps[2]) == pytest.approx(abs(lat), abs=1e-5)
    assert degrees(gps[4]) == pytest.approx(abs(lon), abs=1e-5)


def test_a_jpeg_without_metadata_asked_for_has_none():
    exif = exif_of(media.jpeg_with_exif(media.picture(2, (32, 32))))
    assert 271 not in exif and 0x8825 not in exif
    assert not exif.get_ifd(0x8769)


def test_a_forwarded_copy_is_smaller_and_drops_the_exif():
    original = media.jpeg_with_exif(media.picture(3, (100, 50)), make="Fictional", gps=(1, 2))
    copy = media.resized_copy(original, scale=0.5)
    with Image.open(io.BytesIO(copy)) as image:
        assert image.size == (50, 25)
        assert 271 not in image.getexif()
    assert copy != original


def test_the_pdf_has_two_pages_its_lines_and_only_the_information_given():
    data = media.pdf(("Field report 7", "Second line"), **{"/Title": "Report", "/Author": "Nobody"})
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2
    assert "Field report 7" in reader.pages[0].extract_text()
    assert reader.metadata["/Title"] == "Report" and reader.metadata["/Author"] == "Nobody"
    assert "/CreationDate" not in reader.metadata


def test_the_video_is_an_mp4_with_its_tags():
    import av

    data = media.video(title="Synthetic clip", comment="demo")
    with av.open(io.BytesIO(data)) as container:
        assert container.metadata.get("title") == "Synthetic clip"
        stream = container.streams.video[0]
        assert (stream.codec_context.width, stream.codec_context.height) == (64, 48)
        assert sum(1 for _ in container.decode(stream)) == 16


@pytest.mark.parametrize("make", [media.wav, media.tone])
def test_sounds_are_mono_16_bit_of_the_length_asked_for(make):
    with wave.open(io.BytesIO(make(seconds=0.25, rate=8000))) as sound:
        assert (sound.getnchannels(), sound.getsampwidth(), sound.getframerate()) == (1, 2, 8000)
        assert sound.getnframes() == 2000


def test_the_tone_fades_out():
    with wave.open(io.BytesIO(media.tone(seconds=1.0, rate=8000))) as sound:
        frames = sound.readframes(sound.getnframes())
    samples = [
        int.from_bytes(frames[i : i + 2], "little", signed=True) for i in range(0, len(frames), 2)
    ]
    loud = max(abs(s) for s in samples[:800])
    quiet = max(abs(s) for s in samples[-800:])
    assert loud > 10000 and quiet < 1500
