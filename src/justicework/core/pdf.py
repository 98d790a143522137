"""PDF documents made on the server with the bundled font and HarfBuzz shaping (fpdf2), shared
by the apps that print: the survivors' information sheets, the law app's case matrix and
the grants' agreements.

The font is DejaVu Sans (``core/fonts/``, with its licence): a server has no fonts of its own to
rely on, and this one covers Latin, Cyrillic and Arabic. Text shaping joins Arabic letters and
runs them right to left; a document in a right-to-left language also sets the base direction
of its paragraphs, so a line that mixes Arabic and numbers reads in the right order.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from django.utils.translation import get_language_bidi
from fpdf import FPDF

FONT = Path(__file__).resolve().parent / "fonts" / "DejaVuSans.ttf"
FAMILY = "DejaVuSans"


#: Unicode isolates: a run of text laid out in its own direction inside a paragraph of the
#: other (fpdf2's bidi algorithm honours them; they print nothing)
LRI, FSI, PDI = "\u2066", "\u2068", "\u2069"


class ShapedPDF(FPDF):
    """A document with ``footer_text`` and the page number ("3 / 7") at the foot of every
    page, so a loose page is still matched to its document."""

    footer_text = ""
    rtl = False

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, size=7)
        self.set_text_color(70, 70, 70)
        text = f"{self.footer_text} · {self.page_no()} / {{nb}}" if self.footer_text else ""
        self.cell(0, 4, text or f"{self.page_no()} / {{nb}}", align="R" if self.rtl else "L")
        self.set_text_color(0, 0, 0)

    def ltr(self, text: str) -> str:
        """``text`` (an id such as ``7(1)(a)``, Latin and digits) kept left to right in a
        right-to-left document. It should not begin the paragraph with a digit: fpdf2 then
        mirrors the brackets inside the isolate (put it after a word, or in brackets)."""
        return f"{LRI}{text}{PDI}" if self.rtl and text else text

    def own(self, text: str) -> str:
        """Free text (a title, a note) in its own direction, found from its first letter."""
        return f"{FSI}{text}{PDI}" if self.rtl and text else text


def document(
    title: str,
    footer: str,
    *,
    orientation: Literal["portrait", "landscape"] = "portrait",
    margin: float = 18,
    rtl: bool | None = None,
) -> ShapedPDF:
    """An A4 document with its first page added, the bundled font set, shaping on; ``rtl``
    (default: the active language's direction) makes paragraphs right to left."""
    pdf = ShapedPDF(orientation=orientation, format="A4")
    pdf.rtl = get_language_bidi() if rtl is None else rtl
    pdf.footer_text = footer
    pdf.set_title(title)
    pdf.set_creator("JusticeWork")
    pdf.add_font(FAMILY, fname=str(FONT))
    pdf.set_text_shaping(True, direction="rtl" if pdf.rtl else None)
    pdf.set_auto_page_break(True, margin=margin)
    pdf.set_margins(margin, margin, margin)
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_font(FAMILY, size=11)
    return pdf


#: the languages written right to left among the interface's
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur"})


def is_rtl(language: str) -> bool:
    return language.split("-")[0].lower() in RTL_LANGUAGES


def prepare(pdf: FPDF, *, title: str, margin: float = 18) -> FPDF:
    """Set up ``pdf`` (A4 made by the caller, e.g. with its own footer): the bundled font,
    shaping, margins, the first page."""
    pdf.set_title(title)
    pdf.set_creator("JusticeWork")
    pdf.add_font(FAMILY, fname=str(FONT))
    pdf.set_text_shaping(True)  # HarfBuzz: Arabic joined and right to left
    pdf.set_auto_page_break(True, margin=margin)
    pdf.set_margins(margin, margin, margin)
    pdf.add_page()
    return pdf
