"""PDF documents made on the server (fpdf2): the bundled font and a document that shapes its
text with HarfBuzz, so Arabic letters join and run right to left. A server has no fonts of its
own to rely on, so the font ships with the code (DejaVu Sans, ``fonts/``, with its licence).
Used by the survivors' information sheets and the grants' agreements."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

FONT = Path(__file__).resolve().parent / "fonts" / "DejaVuSans.ttf"
FAMILY = "DejaVuSans"
#: the languages written right to left among the interface's
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur"})


def is_rtl(language: str) -> bool:
    return language.split("-")[0].lower() in RTL_LANGUAGES


def prepare(pdf: FPDF, *, title: str, margin: float = 18) -> FPDF:
    """Set up ``pdf`` (A4 made by the caller): the bundled font, shaping, margins, the first
    page."""
    pdf.set_title(title)
    pdf.set_creator("JusticeWork")
    pdf.add_font(FAMILY, fname=str(FONT))
    pdf.set_text_shaping(True)  # HarfBuzz: Arabic joined and right to left
    pdf.set_auto_page_break(True, margin=margin)
    pdf.set_margins(margin, margin, margin)
    pdf.add_page()
    return pdf
