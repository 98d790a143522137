"""An information sheet or consent form version as a PDF, made on the server, so the paper a
survivor was handed can be printed again word for word and matched to the version on screen.

The PDF carries the sheet, its version and language, the version's number in the database and
the SHA-256 of what it says (:func:`fingerprint`), and the date it was printed; it holds no
survivor data. Text is shaped with HarfBuzz (fpdf2's ``set_text_shaping``), so Arabic letters
join and run right to left; the font is bundled (DejaVu Sans, ``core/fonts/``, with its
licence; the document is ``core.pdf``'s): a server has no fonts of its own to rely on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF

from justicework.core.pdf import FAMILY, FONT, ShapedPDF, document
from justicework.survivors.models import InformationSheet

__all__ = ["FAMILY", "FONT", "SheetPDF", "build", "filename", "fingerprint", "render"]


def fingerprint(sheet: InformationSheet) -> str:
    """SHA-256 of what the version says (sheet, language, version, title, text): printed on
    the PDF and shown on the sheet's page, so a sheet on paper is matched to its version."""
    content = {
        "key": sheet.key,
        "language": sheet.language,
        "version": sheet.version,
        "title": sheet.title,
        "body": sheet.body,
    }
    encoded = json.dumps(content, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(encoded).hexdigest()


#: A4 with a footer naming the version on every page (a loose page is still matched)
SheetPDF = ShapedPDF


def _document(sheet: InformationSheet) -> ShapedPDF:
    # HarfBuzz joins Arabic letters and runs them right to left; each paragraph finds its
    # own direction (the sheet's language, not the reader's, decides what it says).
    return document(
        f"{sheet.title} ({sheet.key} {sheet.language} v{sheet.version})",
        _footer_text(sheet),
        rtl=False,
    )


def _header(pdf: FPDF, sheet: InformationSheet, printed: dt.date) -> None:
    """Which version this is, in the reader's interface language."""
    pdf.set_font(FAMILY, size=8)
    pdf.set_text_color(70, 70, 70)
    lines = [
        _("Sheet “%(key)s”, language %(language)s, version %(version)s")
        % {"key": sheet.key, "language": sheet.language, "version": sheet.version},
        _("Version id %(id)s · SHA-256 %(hash)s") % {"id": sheet.pk, "hash": fingerprint(sheet)},
        _("Printed on %(date)s") % {"date": printed.isoformat()},
    ]
    for line in lines:
        pdf.multi_cell(0, 4.5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_text_color(0, 0, 0)


def _footer_text(sheet: InformationSheet) -> str:
    return _("Sheet “%(key)s” %(language)s v%(version)s · version id %(id)s") % {
        "key": sheet.key,
        "language": sheet.language,
        "version": sheet.version,
        "id": sheet.pk,
    }


def build(sheet: InformationSheet, printed: dt.date | None = None) -> ShapedPDF:
    """The sheet laid out (exposed for tests that look at the glyphs the shaping chose)."""
    printed = printed or timezone.localdate()
    pdf = _document(sheet)
    _header(pdf, sheet, printed)
    pdf.set_font(FAMILY, size=16)
    pdf.multi_cell(0, 8, sheet.title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font(FAMILY, size=11)
    # A paragraph per line of the text as written; an empty line is a gap.
    for paragraph in sheet.body.splitlines():
        if paragraph.strip():
            pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.ln(3)
    return pdf


def render(sheet: InformationSheet, printed: dt.date | None = None) -> bytes:
    """The PDF of ``sheet`` (printed today unless ``printed`` is given)."""
    return bytes(build(sheet, printed).output())


def filename(sheet: InformationSheet) -> str:
    """An ASCII file name (the sheet key is a slug, the language a short code)."""
    language = "".join(c for c in sheet.language if (c.isascii() and c.isalnum()) or c == "-")
    return f"sheet-{sheet.key}-{language or 'xx'}-v{sheet.version}-{sheet.pk}.pdf"
