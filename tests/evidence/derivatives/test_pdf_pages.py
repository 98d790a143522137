"""A PDF's thumbnail and preview: its first page rendered by PDFium (pypdfium2) from the
original's plaintext, the bitmap bounded in pixels whatever the page's size, the time bounded;
a damaged PDF, one protected by a password, one too slow to render or with a page of no size
gets a recorded reason ("not made"), never an error of the task; PDFium never reads a file the
PDF names; a damaged sealed original is named as damaged, not as a bad PDF."""

from __future__ import annotations

import io
import math

import pypdfium2 as pdfium
import pytest
from fpdf import FPDF
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject, TextStringObject

from justicework.audit.models import AuditEntry
from justicework.evidence.actions import make_derivatives
from justicework.evidence.derivatives import make, pdf_pages
from justicework.evidence.models import Derivative
from justicework.evidence.storage import derived

from ..conftest import upload_file
from ..stored import overwrite, raw_original

pytestmark = pytest.mark.django_db


def text_pdf(lines: int = 12, page: tuple[float, float] = (595, 842)) -> bytes:
    """A one-page PDF of synthetic text (fpdf2), ``page`` in points."""
    pdf = FPDF(unit="pt", format=page)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", min(28, page[0] / 12))
    for n in range(lines):
        pdf.cell(0, 30, f"Synthetic statement, line {n + 1}", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def with_password(data: bytes, user: str, owner: str = "owner-secret") -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user, owner_password=owner, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def rows(item) -> dict[str, Derivative]:
    return {row.kind: row for row in Derivative.objects.filter(original=item.original)}


def picture(row: Derivative) -> Image.Image:
    with derived.open_derivative(row) as stream:
        return Image.open(io.BytesIO(stream.read())).convert("L")


def dark_share(image: Image.Image) -> float:
    """The share of the picture's pixels darker than mid-grey."""
    histogram = image.histogram()
    return sum(histogram[:128]) / (image.width * image.height)


def last_not_made(item) -> dict[str, str]:
    entry = AuditEntry.objects.filter(
        action="evidence.derivative.made", object_id=str(item.original_id)
    ).latest("seq")
    return dict(entry.diff["not_made"])


def test_a_pdf_gets_a_thumbnail_and_preview_of_its_first_page(documenter, acme):
    item = upload_file(documenter, acme, text_pdf(), filename="statement.pdf")
    outcome = make_derivatives(item.original)
    made = rows(item)
    assert set(made) == {"thumbnail", "preview", "stripped"} and not outcome.problem
    for kind, longest in (("thumbnail", make.THUMBNAIL_PX), ("preview", make.PREVIEW_PX)):
        row = made[kind]
        assert row.media_type == "image/jpeg" and row.tool == "pypdfium2+Pillow"
        assert row.tool_version.count("+") == 1
        image = picture(row)
        assert max(image.size) == longest
        assert math.isclose(image.width / image.height, 595 / 842, rel_tol=0.01)
        assert 0.002 < dark_share(image) < 0.5  # text on white: not blank, not black
    assert last_not_made(item) == {}


def test_a_damaged_pdf_gets_a_reason_and_no_derivative(documenter, acme):
    item = upload_file(documenter, acme, b"%PDF-1.4\n1 0 obj << /Type /Catalog", filename="x.pdf")
    assert item.original.media_type == "application/pdf"
    outcome = make_derivatives(item.original)
    assert not rows(item) and not outcome.made
    reasons = last_not_made(item)
    assert (
        reasons["thumbnail"]
        == reasons["preview"]
        == ("the file is damaged or not a PDF (PDFium: data format error)")
    )
    assert reasons["stripped"].startswith("the PDF could not be copied")
    assert outcome.problem.startswith(
        "thumbnail, preview: the file is damaged or not a PDF (PDFium: data format error); "
        "stripped: the PDF could not be copied"
    )


def test_a_pdf_protected_by_a_password_gets_a_reason(documenter, acme):
    item = upload_file(documenter, acme, with_password(text_pdf(), "secret"), filename="p.pdf")
    outcome = make_derivatives(item.original)
    assert not rows(item) and outcome.problem
    assert last_not_made(item) == {
        "thumbnail": "the PDF is protected by a password",
        "preview": "the PDF is protected by a password",
        "stripped": "the PDF is encrypted",
    }


def test_a_pdf_encrypted_with_an_empty_user_password_is_rendered_but_not_stripped(documenter, acme):
    """Such a PDF opens for anyone (only the owner's rights are protected): it is pictured;
    pypdf refuses to copy it, so no stripped copy, and that is said."""
    item = upload_file(documenter, acme, with_password(text_pdf(), ""), filename="o.pdf")
    make_derivatives(item.original)
    assert set(rows(item)) == {"thumbnail", "preview"}
    assert dark_share(picture(rows(item)["thumbnail"])) > 0.002
    assert last_not_made(item) == {"stripped": "the PDF is encrypted"}


def test_a_huge_page_is_rendered_within_the_pixel_bound(documenter, acme, monkeypatch):
    sizes: list[tuple[int, int]] = []
    new_native = pdfium.PdfBitmap.new_native

    def spy(width, height, *args, **kwargs):
        sizes.append((width, height))
        return new_native(width, height, *args, **kwargs)

    monkeypatch.setattr(pdfium.PdfBitmap, "new_native", spy)
    inches_200 = 200 * 72  # PDF's own page-size limit: 14,400 points
    data = text_pdf(lines=3, page=(inches_200, inches_200))
    item = upload_file(documenter, acme, data, filename="plan.pdf")
    make_derivatives(item.original)
    assert sizes == [(make.PREVIEW_PX, make.PREVIEW_PX)]  # not 14,400 x 14,400 (620 MB)
    assert picture(rows(item)["preview"]).size == (make.PREVIEW_PX, make.PREVIEW_PX)
    assert picture(rows(item)["thumbnail"]).size == (make.THUMBNAIL_PX, make.THUMBNAIL_PX)


@pytest.mark.parametrize(
    ("width", "height", "expected"),
    [
        (14400, 14400, (1280, 1280)),
        (1e9, 1e9, (1280, 1280)),
        (1e9, 1, (1280, 1)),
        (3, 4, (960, 1280)),
        (595.28, 841.89, (905, 1280)),
    ],
)
def test_the_bitmap_size_is_bounded_whatever_the_page_says(width, height, expected):
    assert pdf_pages.pixel_size(width, height, 1280) == expected


@pytest.mark.parametrize(
    ("width", "height"), [(0, 842), (595, -1), (math.nan, 842), (math.inf, 842)]
)
def test_a_page_of_no_usable_size_is_refused(width, height):
    with pytest.raises(pdf_pages.NotRendered, match="no usable size"):
        pdf_pages.pixel_size(width, height, 1280)


def test_a_page_that_takes_too_long_is_abandoned_with_its_reason(documenter, acme, monkeypatch):
    monkeypatch.setattr(pdf_pages, "RENDER_SECONDS", 0.0)
    item = upload_file(documenter, acme, text_pdf(lines=20), filename="slow.pdf")
    outcome = make_derivatives(item.original)
    assert set(rows(item)) == {"stripped"} and not outcome.problem
    reason = "rendering the first page took longer than 0 seconds"
    assert last_not_made(item) == {"thumbnail": reason, "preview": reason}
    assert outcome.notes == {"thumbnail": reason, "preview": reason}


def _page_drawn_by(contents: DecodedStreamObject) -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    page[NameObject("/Contents")] = writer._add_object(contents)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pdfium_never_reads_a_file_the_pdf_names(tmp_path):
    """A content stream may say its data is in a file (``/F``): here one that paints the
    page black. PDFium leaves it unread, so the page stays white; the same drawing inside the
    PDF paints it black (so the test can fail)."""
    black = b"0 0 0 rg 0 0 200 200 re f"
    outside = tmp_path / "outside.txt"
    outside.write_bytes(black)
    named = DecodedStreamObject()
    named.set_data(b"")
    named[NameObject("/F")] = TextStringObject(str(outside))
    inside = DecodedStreamObject()
    inside.set_data(black)
    pictures = {}
    for name, contents in (("named", named), ("inside", inside)):
        page = pdf_pages.first_page(io.BytesIO(_page_drawn_by(contents)), 64)
        pictures[name] = page.convert("L").getextrema()
    assert pictures == {"named": (255, 255), "inside": (0, 0)}


def test_the_colours_are_the_pages():
    red = DecodedStreamObject()
    red.set_data(b"1 0 0 rg 0 0 200 200 re f")
    page = pdf_pages.first_page(io.BytesIO(_page_drawn_by(red)), 64)
    assert page.mode == "RGB" and page.getpixel((10, 10)) == (255, 0, 0)  # not BGR


def test_only_the_first_page_of_a_long_pdf_is_loaded(monkeypatch):
    writer = PdfWriter()
    for _ in range(2000):
        writer.add_blank_page(200, 200)
    out = io.BytesIO()
    writer.write(out)
    loaded: list[int] = []
    get_page = pdfium.PdfDocument.get_page

    def spy(document, index):
        loaded.append(index)
        return get_page(document, index)

    monkeypatch.setattr(pdfium.PdfDocument, "get_page", spy)
    assert pdf_pages.first_page(io.BytesIO(out.getvalue()), 64).size == (64, 64)
    assert loaded == [0]


def test_a_damaged_sealed_original_is_named_not_taken_for_a_bad_pdf(settings, documenter, acme):
    settings.EVIDENCE_ENCRYPT = True
    item = upload_file(documenter, acme, text_pdf(), filename="sealed.pdf")
    assert item.original.encrypted
    stored = bytearray(raw_original(item.original))
    stored[len(stored) // 2] ^= 0xFF
    overwrite(item.original.storage_key, bytes(stored))
    outcome = make_derivatives(item.original)
    assert "failed authentication" in outcome.problem and not rows(item)
    assert not AuditEntry.objects.filter(action="evidence.derivative.made").exists()


def test_a_sealed_pdf_is_pictured_from_its_plaintext(settings, documenter, acme):
    settings.EVIDENCE_ENCRYPT = True
    item = upload_file(documenter, acme, text_pdf(), filename="sealed.pdf")
    assert item.original.encrypted
    make_derivatives(item.original)
    made = rows(item)
    assert set(made) == {"thumbnail", "preview", "stripped"}
    assert all(row.storage_key.startswith(f"sealed/{acme.pk}/") for row in made.values())
    assert dark_share(picture(made["thumbnail"])) > 0.002


def test_the_storage_error_is_raised_again_when_pdfium_reads(monkeypatch):
    """The read callback's error is not lost in PDFium (``_Reader``)."""

    class Failing(io.BytesIO):
        def readinto(self, buffer):
            raise OSError("connection to the store lost")

    with pytest.raises(OSError, match="connection to the store lost"):
        pdf_pages.first_page(Failing(text_pdf()), 64)


def test_the_command_says_why_nothing_was_made_of_a_pdf(documenter, acme, capsys):
    from django.core.management import call_command

    upload_file(documenter, acme, with_password(text_pdf(), "secret"), filename="p.pdf")
    call_command("evidence", "derive")
    assert (
        "application/pdf: not made: thumbnail, preview: the PDF is protected by a password; "
        "stripped: the PDF is encrypted\n1 original(s) done.\n"
    ) in capsys.readouterr().out


def test_the_task_makes_a_pdfs_pictures_and_survives_a_bad_one(documenter, acme):
    from justicework.evidence.tasks import make_derivatives_task

    good = upload_file(documenter, acme, text_pdf(), filename="good.pdf")
    bad = upload_file(documenter, acme, b"%PDF-1.7\n%%EOF\n", filename="bad.pdf")
    for item in (good, bad):  # the immediate backend of the tests: run now, errors kept
        assert make_derivatives_task.enqueue(item.original_id).status == "SUCCESSFUL"
    assert set(rows(good)) == {"thumbnail", "preview", "stripped"} and not rows(bad)
    assert last_not_made(bad)["preview"].startswith("the file is damaged or not a PDF")
