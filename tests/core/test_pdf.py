"""``core.pdf``: documents made with the bundled font and shaping, their footer with the page
count on every page, the isolates that keep ids and free text in their own direction in a
right-to-left document, and which languages are right to left."""

from __future__ import annotations

import pypdfium2
import pytest
from django.utils import translation
from fpdf import FPDF

from justicework.core import pdf


def pages_text(document: FPDF) -> list[str]:
    opened = pypdfium2.PdfDocument(bytes(document.output()))
    try:
        return [page.get_textpage().get_text_range() for page in opened]
    finally:
        opened.close()


def test_a_document_has_the_font_title_and_first_page():
    document = pdf.document("Information sheet", "Case 12")
    assert document.page_no() == 1
    assert document.font_family == pdf.FAMILY.lower()
    assert document.title == "Information sheet"
    assert document.creator == "JusticeWork"
    assert not document.rtl


def test_every_page_has_the_footer_and_the_page_count():
    document = pdf.document("Sheet", "Case 12")
    document.multi_cell(0, 6, "Line. " * 2000)
    texts = pages_text(document)
    assert len(texts) >= 2
    for number, text in enumerate(texts, start=1):
        assert f"Case 12 · {number} / {len(texts)}" in text


def test_a_document_without_footer_text_still_numbers_its_pages():
    document = pdf.document("Sheet", "")
    assert "1 / 1" in pages_text(document)[0]


def test_the_direction_follows_the_active_language_unless_given():
    with translation.override("ar"):
        assert pdf.document("t", "f").rtl
        assert not pdf.document("t", "f", rtl=False).rtl
    with translation.override("en"):
        assert not pdf.document("t", "f").rtl
        assert pdf.document("t", "f", rtl=True).rtl


def test_ids_and_free_text_are_isolated_only_in_a_right_to_left_document():
    rtl = pdf.document("t", "f", rtl=True)
    assert rtl.ltr("7(1)(a)") == "\u20667(1)(a)\u2069"
    assert rtl.own("Title") == "\u2068Title\u2069"
    assert rtl.ltr("") == "" and rtl.own("") == ""
    ltr = pdf.document("t", "f", rtl=False)
    assert ltr.ltr("7(1)(a)") == "7(1)(a)" and ltr.own("Title") == "Title"


def test_arabic_text_is_printed_with_the_bundled_font():
    document = pdf.document("ورقة", "حالة", rtl=True)
    document.multi_cell(0, 6, "مرحبا بالعالم")
    assert len(pages_text(document)) == 1
    assert bytes(document.output()).startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ar", True), ("fa-IR", True), ("HE", True), ("ur", True), ("en", False), ("fr-ca", False)],
)
def test_right_to_left_languages(language, expected):
    assert pdf.is_rtl(language) is expected


def test_prepare_sets_up_a_document_made_elsewhere():
    document = pdf.prepare(FPDF(format="A4"), title="Agreement", margin=20)
    assert document.page_no() == 1 and document.title == "Agreement"
    assert document.l_margin == document.r_margin == document.t_margin == 20
    assert pdf.FAMILY.lower() in document.fonts
