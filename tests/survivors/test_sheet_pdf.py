"""Information sheets as PDF (issue 13): made on the server with the bundled font, Arabic
shaped and right to left, carrying the version's id and fingerprint and the date printed;
opened by those who may see the sheet, and by no one else."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from justicework.core.models import Organisation, User
from justicework.survivors import actions, sheet_pdf
from justicework.survivors.models import InformationSheet

pytestmark = pytest.mark.django_db

TEXTS = {
    "en": ("Information sheet", "You may withdraw your consent at any time."),
    "ru": ("Информационный лист", "Вы можете отозвать своё согласие в любое время."),
    "ar": ("ورقة المعلومات", "يمكنك سحب موافقتك في أي وقت."),
}


def _sheet(coordinator: User, acme: Organisation, language: str) -> InformationSheet:
    title, body = TEXTS[language]
    return actions.create_information_sheet(
        coordinator, acme, language=language, title=title, body=f"{body}\n\nConsent form"
    )


def _text(data: bytes) -> str:
    """The PDF's text as a reader extracts it, with presentation forms folded to letters."""
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return unicodedata.normalize("NFKC", text)


@pytest.mark.parametrize("language", ["en", "ru", "ar"])
def test_pdf_carries_the_version_and_its_text(
    login: Callable[[User], Client], coordinator: User, viewer: User, acme: Organisation,
    language: str,
) -> None:  # fmt: skip
    sheet = _sheet(coordinator, acme, language)
    response = login(viewer).get(reverse("survivors:sheet_pdf", args=[sheet.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"-v1-{sheet.pk}.pdf" in response["Content-Disposition"]
    data = response.content
    assert data.startswith(b"%PDF-")
    text = _text(data)
    title, body = TEXTS[language]
    for words in [title, *body.rstrip(".").split()]:
        assert unicodedata.normalize("NFKC", words) in text, words
    assert f"Version id {sheet.pk}" in text
    assert sheet_pdf.fingerprint(sheet) in text.replace("\n", "")
    assert f"language {language}, version 1" in text
    assert "Printed on 20" in text


def test_arabic_is_shaped_into_joined_letters(coordinator: User, acme: Organisation) -> None:
    """HarfBuzz chose the joined forms (initial, medial, final: the U+FE70 to U+FEFF glyphs of the
    font) for the Arabic words; without shaping, only the isolated letters would be used."""
    sheet = _sheet(coordinator, acme, "ar")
    pdf = sheet_pdf.build(sheet)
    names = {glyph.glyph_name for glyph, _ in pdf.fonts["dejavusans"].subset.items() if glyph}
    joined = {name for name in names if name.startswith("uniFE") or name.startswith("uniFB")}
    assert len(joined) >= 5, names


def test_unshaped_text_would_not_join(coordinator: User, acme: Organisation) -> None:
    """The check above can fail: the same text without shaping uses no joined forms."""
    sheet = _sheet(coordinator, acme, "ar")
    pdf2 = sheet_pdf.SheetPDF()
    pdf2.add_font(sheet_pdf.FAMILY, fname=str(sheet_pdf.FONT))
    pdf2.add_page()
    pdf2.set_font(sheet_pdf.FAMILY, size=11)
    pdf2.multi_cell(0, 6, sheet.body)
    names = {glyph.glyph_name for glyph, _ in pdf2.fonts["dejavusans"].subset.items() if glyph}
    assert names and not {n for n in names if n.startswith("uniFE")}


def test_the_pdf_holds_the_date_printed(coordinator: User, acme: Organisation) -> None:
    sheet = _sheet(coordinator, acme, "en")
    text = _text(sheet_pdf.render(sheet, printed=dt.date(2026, 3, 4)))
    assert "Printed on 2026-03-04" in text


def test_a_long_sheet_runs_onto_more_pages_each_naming_the_version(
    coordinator: User, acme: Organisation
) -> None:
    sheet = actions.create_information_sheet(
        coordinator, acme, language="en", title="Long", body="\n".join(["A line."] * 200)
    )
    reader = PdfReader(io.BytesIO(sheet_pdf.render(sheet)))
    assert len(reader.pages) > 1
    for page in reader.pages:
        assert f"version id {sheet.pk}" in page.extract_text()


def test_the_fingerprint_changes_with_the_text(coordinator: User, acme: Organisation) -> None:
    first = _sheet(coordinator, acme, "en")
    second = actions.create_information_sheet(
        coordinator, acme, language="en", title=first.title, body=first.body + " More."
    )
    assert sheet_pdf.fingerprint(first) != sheet_pdf.fingerprint(second)
    assert sheet_pdf.fingerprint(first) == sheet_pdf.fingerprint(
        InformationSheet.objects.get(pk=first.pk)
    )


def test_sheet_page_links_to_the_pdf_and_shows_the_fingerprint(
    login: Callable[[User], Client], coordinator: User, acme: Organisation
) -> None:
    sheet = _sheet(coordinator, acme, "ar")
    client = login(coordinator)
    body = client.get(reverse("survivors:sheet_print", args=[sheet.pk])).content
    assert reverse("survivors:sheet_pdf", args=[sheet.pk]).encode() in body
    assert sheet_pdf.fingerprint(sheet).encode() in body
    listed = client.get(reverse("survivors:sheet_list")).content
    assert reverse("survivors:sheet_pdf", args=[sheet.pk]).encode() in listed


def test_the_font_is_bundled_not_read_from_the_system() -> None:
    assert sheet_pdf.FONT.is_file()
    assert "/usr/share" not in str(sheet_pdf.FONT)
    assert (sheet_pdf.FONT.parent / "LICENSE-DejaVu.txt").is_file()


def test_another_organisation_and_strangers_cannot_print_a_sheet(
    login: Callable[[User], Client], client: Client, coordinator: User, outsider: User,
    loner: User, acme: Organisation,
) -> None:  # fmt: skip
    sheet = _sheet(coordinator, acme, "en")
    url = reverse("survivors:sheet_pdf", args=[sheet.pk])
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    assert login(outsider).get(url).status_code == 404
    assert login(loner).get(url).status_code == 404


def test_a_bad_version_id_is_not_found(
    login: Callable[[User], Client], coordinator: User, acme: Organisation
) -> None:
    sheet = _sheet(coordinator, acme, "en")
    client = login(coordinator)
    assert client.get(reverse("survivors:sheet_pdf", args=[sheet.pk + 1000])).status_code == 404
    assert client.get(f"/survivors/sheets/{sheet.pk}x/pdf").status_code == 404
    assert client.get(reverse("survivors:sheet_pdf", args=[sheet.pk])).status_code == 200


@pytest.mark.parametrize("ui", ["ar", "ru", "fr", "es", "en"])
def test_the_pdf_is_made_in_every_interface_language(
    coordinator: User, acme: Organisation, ui: str
) -> None:
    """The header's labels are in the reader's language (Arabic ones shaped too); the ids and
    the fingerprint stay as they are, so they can be compared with the screen."""
    from django.utils import translation

    sheet = _sheet(coordinator, acme, "ar")
    with translation.override(ui):
        text = _text(sheet_pdf.render(sheet))
    assert sheet_pdf.fingerprint(sheet) in text.replace("\n", "")
    assert unicodedata.normalize("NFKC", TEXTS["ar"][0]) in text
