"""The case matrix as a PDF: opened with pdfium and its text read back (charge ids, element
texts, notes, gaps, the title, the footer's page numbers), in Arabic right to left, broken
across pages; checked and audited as the XLSX is; refused to whom the XLSX is refused."""

from __future__ import annotations

import unicodedata
from types import SimpleNamespace
from typing import Any

import pypdfium2 as pdfium
import pytest
from django.utils import timezone, translation

from justicework.audit.models import AuditEntry
from justicework.law import actions_cases as actions
from justicework.law import export_pdf
from justicework.law.catalogue import catalogue
from justicework.law.queries_cases import matrix_for
from tests.law.cases.conftest import make_case

pytestmark = pytest.mark.django_db

NOTE = "three witnesses saw the shelling"


def pages_text(data: bytes) -> list[str]:
    """Each page's text as pdfium extracts it, presentation forms folded to letters."""
    document = pdfium.PdfDocument(data)
    try:
        found = []
        for page in document:
            text = page.get_textpage().get_text_range()
            found.append(unicodedata.normalize("NFKC", text).replace("\r", ""))
        return found
    finally:
        document.close()


def _charge(records: SimpleNamespace, **entry: Any) -> Any:
    charge = actions.add_charge(None, records.case, crime_id="7(1)(a)", mode_id="25(3)(c)")
    fields = {"part": "crime", "element": 1, "link": records.violation}
    fields |= {"bearing": "supports", "strength": "strong", "note": NOTE} | entry
    actions.add_matrix_entry(None, charge, **fields)
    return charge


def _url(records: SimpleNamespace) -> str:
    return f"/law/cases/{records.case.pk}/matrix.pdf"


def test_analyst_downloads_the_matrix_as_a_readable_pdf(records, cast, login) -> None:
    _charge(records)
    response = login(cast.analyst).get(_url(records))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"case-{records.case.pk}-matrix.pdf" in response["Content-Disposition"]
    text = "\n".join(pages_text(response.content))
    crime = catalogue().crime("7(1)(a)")
    assert records.case.title in text
    assert "7(1)(a)" in text and "25(3)(c)" in text
    assert crime.elements[0].text.split()[0] in text
    assert NOTE in text.replace("\n", " ")
    assert f"violation #{records.violation.pk}" in text
    assert "GAP" in text  # every other element is a gap
    assert f"Printed on {timezone.localdate().isoformat()}" in text
    assert "1 / 1" in text or "1 / 2" in text  # the footer's page of pages
    entry = AuditEntry.objects.get(action="law.matrix.exported")
    assert entry.diff == {"format": "pdf", "language": "en"}


def test_each_element_is_a_row_with_strength_count_and_gap(records, cast) -> None:
    _charge(records)
    with translation.override("en"):
        matrix = matrix_for(cast.analyst, records.case, "en")
        first = next(export_pdf.cell_rows(matrix, matrix.rows[0].cells[0]))
        second = next(export_pdf.cell_rows(matrix, matrix.rows[0].cells[1]))
    assert first[0].startswith("Crime 1. ") and first[2] == "strong" and first[3] == "1"
    assert first[4].startswith(f"supports (strong): violation #{records.violation.pk}")
    assert second[2] == "none\nGAP" and second[3] == "0" and second[4] == "—"


def test_an_entry_on_a_record_the_reader_may_not_see_names_no_record(records, cast) -> None:
    """Exactly as the XLSX: the assessment and note stay, the link goes."""
    _charge(records)
    with translation.override("en"):
        matrix = matrix_for(cast.analyst, records.case, "en")
        entry = matrix.rows[0].cells[0].entries[0]
        matrix.shown["violation"].clear()  # as if the policy hid the violation
        line = export_pdf.entry_line(matrix, entry)
    assert line == f"supports (strong): a record you may not see — {NOTE}"
    assert "#" not in line


def test_long_tables_break_across_pages_with_headings_and_footers(records, cast) -> None:
    charge = _charge(records)
    long_note = "Witness statement summary. " * 40
    for number in range(1, 4):
        for _ in range(12):
            actions.add_matrix_entry(
                None, charge, part="crime", element=number, link=records.violation,
                bearing="supports", strength="weak", note=long_note,
            )  # fmt: skip
    with translation.override("en"):
        data = export_pdf.matrix_pdf(matrix_for(cast.analyst, records.case, "en"), records.case)
    pages = pages_text(data)
    assert len(pages) > 3
    for number, page in enumerate(pages, start=1):
        assert f"case file {records.case.pk}" in page
        assert f"{number} / {len(pages)}" in page
        assert "Facts, evidence and notes" in page  # the heading row on every page
        assert "Crime " in page or "Mode " in page  # element rows on every page, none empty
    text = "\n".join(pages)
    assert "Crime 1. (continued)" in text  # twelve entries on one element: a continuation row
    assert "Witness statement summary. ..." not in text  # (pdfium gives "…" as "...")
    assert "..." in text  # notes cut to NOTE_LIMIT


def _no_lam_alef(words: list[str]) -> list[str]:
    """pdfium reads the lam-alef ligature back as alef then lam (its own quirk: the glyph's
    letters are right, their order within it is not), so the check leaves those words out."""
    return [w for w in words if not any(f"ل{a}" in w for a in "اأإآ")]


def test_arabic_case_reads_right_to_left_in_arabic(cast, records) -> None:
    case = make_case(cast.acme, team=[cast.analyst], title="قصف سوق المدينة", country="SY")
    actions.add_charge(None, case, crime_id="7(1)(a)", mode_id="25(3)(a)-direct")
    with translation.override("ar"):
        matrix = matrix_for(cast.analyst, case, "ar")
        pdf = export_pdf.build(matrix, case)
        data = bytes(pdf.output())
    assert pdf.rtl
    text = "\n".join(pages_text(data))
    title = catalogue().crime("7(1)(a)").titles["ar"].split()
    words = _no_lam_alef(["قصف", "سوق", "المدينة", *title])
    assert len(words) >= 4
    for word in words:
        assert unicodedata.normalize("NFKC", word) in text, word
    assert "(7(1)(a))" in text and "(25(3)(a)-direct)" in text  # ids left to right


def test_viewer_outsider_and_anonymous_get_no_pdf(records, cast, login, client) -> None:
    _charge(records)
    url = _url(records)
    assert client.get(url).status_code == 302  # anonymous: to the sign-in page
    assert login(cast.viewer).get(url).status_code == 403  # reads, but exports nothing
    assert login(cast.outsider).get(url).status_code == 404  # another organisation
    assert not AuditEntry.objects.filter(action="law.matrix.exported").exists()


def test_restricted_case_pdf_only_for_its_team(cast, login) -> None:
    case = make_case(cast.acme, team=[cast.admin], title="Restricted", restricted=True)
    url = f"/law/cases/{case.pk}/matrix.pdf"
    assert login(cast.analyst).get(url).status_code == 404  # not on the team
    assert login(cast.admin).get(url).status_code == 200


def test_the_api_serves_the_pdf_with_the_same_checks(records, cast, bearer) -> None:
    _charge(records)
    url = f"/api/v1/law/cases/{records.case.pk}/matrix.pdf"
    response = bearer(cast.analyst).get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert "7(1)(a)" in "\n".join(pages_text(response.content))
    assert bearer(cast.viewer).get(url).status_code == 403
    assert bearer(cast.outsider).get(url).status_code == 404
    from django.test import Client

    assert Client().get(url).status_code == 401
    assert AuditEntry.objects.filter(action="law.matrix.exported").count() == 1


def test_matrix_page_links_to_the_pdf_for_exporters_only(records, cast, login) -> None:
    page = f"/law/cases/{records.case.pk}/matrix/"
    assert _url(records) in login(cast.analyst).get(page).content.decode()
    assert _url(records) not in login(cast.viewer).get(page).content.decode()
