"""The type comes from the content; the name's extension is only compared with it."""

from __future__ import annotations

import pytest

from justicework.evidence.intake import filetype

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + b"\x00" * 40


@pytest.mark.parametrize(
    ("content", "media_type", "ext"),
    [(PNG, "image/png", "png"), (PDF, "application/pdf", "pdf"), (JPEG, "image/jpeg", "jpeg")],
)
def test_type_from_content(tmp_path, content, media_type, ext):
    path = tmp_path / "whatever.name"
    path.write_bytes(content)
    found = filetype.detect(path)
    assert found.media_type == media_type
    assert found.fits(ext) is True
    assert found.fits("exe") is False


def test_a_forged_extension_does_not_change_the_type(tmp_path):
    path = tmp_path / "invoice.pdf"
    path.write_bytes(PNG)
    assert filetype.detect(path).media_type == "image/png"


def test_plain_text_and_unknown_bytes(tmp_path):
    text, blob = tmp_path / "a", tmp_path / "b"
    text.write_text("Témoignage recueilli le 3 mars.\n", encoding="utf-8")
    blob.write_bytes(b"\x00\x01\x02\x03" * 10)
    assert filetype.detect(text).media_type == "text/plain"
    unknown = filetype.detect(blob)
    assert unknown.media_type == filetype.UNKNOWN
    assert unknown.fits("bin") is None
