"""The case matrix as a PDF: a landscape table per charge, one row per element of its crime and
of its mode of liability, with the strength, the number of entries and the entries themselves
(bearing, strength, the record linked, the note); gaps marked in words and shading.

It is written in the active language (the view's: the reader's), right to left for Arabic
(columns mirrored, text aligned to the right), with the bundled font and HarfBuzz shaping of
``core.pdf``. Its content comes from ``queries_cases.matrix_for``, the same reading as the
page and the XLSX: an entry whose record the reader may not see keeps its assessment and note
but names no record.

A long table breaks between rows, with its heading row repeated on each page; an element with
many entries continues on further rows, and a note longer than :data:`NOTE_LIMIT` is cut (the
full text is in the XLSX and on the page), so no single row is taller than a page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf.enums import TextEmphasis
from fpdf.fonts import FontFace

from justicework.core.pdf import FAMILY, ShapedPDF, document
from justicework.law import case_matrix
from justicework.law.models import CaseFile, MatrixEntry
from justicework.law.queries_cases import Matrix

#: characters of a note printed; the rest is cut with an ellipsis
NOTE_LIMIT = 300
#: entries in one row of the table; more continue on the next row
ENTRIES_PER_ROW = 3
#: widths in millimetres of the five columns (A4 landscape less 12 mm margins: 273 mm)
WIDTHS = (92, 24, 30, 15, 112)
MARGIN = 12
#: the height (mm) left on a page below which a charge starts on the next one
KEEP_WITH_TABLE = 70
GAP_FILL = (253, 226, 226)
HEAD_FILL = (225, 225, 225)


def _strength(value: str) -> str:
    return str(MatrixEntry.Strength(value).label)


def _type(value: str) -> str:
    labels = {
        "conduct": _("conduct"),
        "consequence": _("consequence"),
        "circumstance": _("circumstance"),
        "contextual": _("contextual"),
        "mental": _("mental"),
    }
    return labels.get(value, value)


def entry_line(matrix: Matrix, entry: MatrixEntry, pdf: ShapedPDF | None = None) -> str:
    """One entry in words: bearing, strength, the record (or that it is hidden), the note."""
    kind, pk = matrix.link_of(entry)
    kinds = {
        "violation": _("violation"),
        "incident": _("incident"),
        "item": _("evidence item"),
        "source": _("source"),
    }
    what = f"{kinds.get(kind, kind)} #{pk}" if pk else _("a record you may not see")
    note = entry.note.strip()
    if len(note) > NOTE_LIMIT:
        note = note[: NOTE_LIMIT - 1].rstrip() + "…"
    bearing = str(MatrixEntry.Bearing(entry.bearing).label)
    line = f"{bearing} ({_strength(entry.strength)}): {what}"
    if note and pdf is not None:
        note = pdf.own(note)
    return f"{line} — {note}" if note else line


def _strength_cell(cell: case_matrix.Cell) -> str:
    words = [_strength(cell.strength)]
    if cell.gap:
        words.append(_("GAP"))
    if cell.contradicted:
        words.append(_("contradicted"))
    return "\n".join(words)


def _element_label(cell: case_matrix.Cell) -> str:
    part = _("Mode") if cell.part == "mode" else _("Crime")
    return f"{part} {cell.element.number}."


def _element_cell(cell: case_matrix.Cell, pdf: ShapedPDF | None) -> str:
    text = pdf.own(cell.element.text) if pdf is not None else cell.element.text
    return f"{_element_label(cell)} {text}"


def cell_rows(
    matrix: Matrix, cell: case_matrix.Cell, pdf: ShapedPDF | None = None
) -> Iterator[tuple[str, ...]]:
    """The table rows of one element: the first with everything, then continuation rows of
    further entries (each at most :data:`ENTRIES_PER_ROW`)."""
    lines = [entry_line(matrix, entry, pdf) for entry in cell.entries] or ["—"]
    chunks = [lines[i : i + ENTRIES_PER_ROW] for i in range(0, len(lines), ENTRIES_PER_ROW)]
    first, *rest = chunks
    yield (
        _element_cell(cell, pdf),
        _type(cell.element.type),
        _strength_cell(cell),
        str(len(cell.entries)),
        "\n".join(first),
    )
    continued = _("%(element)s (continued)") % {"element": _element_label(cell)}
    for chunk in rest:
        yield (continued, "", "", "", "\n".join(chunk))


def _headings() -> tuple[str, ...]:
    return (_("Element"), _("Type"), _("Strength"), _("Entries"), _("Facts, evidence and notes"))


def _ordered(values: Sequence[str], rtl: bool) -> list[str]:
    return list(reversed(values)) if rtl else list(values)


def _charge_table(pdf: ShapedPDF, matrix: Matrix, row: case_matrix.ChargeRow) -> None:
    gaps = len(row.gaps)
    if pdf.will_page_break(KEEP_WITH_TABLE):  # a charge's heading never ends a page alone
        pdf.add_page()
    pdf.set_font(FAMILY, size=12)
    # The title first and the ids in brackets after it: read in order in either direction.
    crime_id, mode_id = pdf.ltr(f"({row.charge.crime_id})"), pdf.ltr(f"({row.charge.mode_id})")
    title = f"{row.crime_title} {crime_id} — {pdf.own(row.mode_title)} {mode_id}"
    pdf.multi_cell(0, 6, title, new_x="LMARGIN", new_y="NEXT", align="R" if pdf.rtl else "L")
    pdf.set_font(FAMILY, size=8)
    counts = _("%(elements)s elements, %(gaps)s gaps") % {
        "elements": len(row.cells),
        "gaps": gaps,
    }
    pdf.multi_cell(
        0, 4.5, pdf.own(counts), new_x="LMARGIN", new_y="NEXT", align="R" if pdf.rtl else "L"
    )
    pdf.ln(1)
    plain = FontFace(emphasis=TextEmphasis.NONE)
    with pdf.table(
        col_widths=tuple(reversed(WIDTHS)) if pdf.rtl else WIDTHS,
        text_align="RIGHT" if pdf.rtl else "LEFT",
        headings_style=FontFace(emphasis=TextEmphasis.NONE, fill_color=HEAD_FILL),
        line_height=4,
        padding=1,
        repeat_headings=1,
        width=sum(WIDTHS),
    ) as table:
        heading = table.row()
        for text in _ordered(_headings(), pdf.rtl):
            heading.cell(text)
        for cell in row.cells:
            style = FontFace(emphasis=TextEmphasis.NONE, fill_color=GAP_FILL) if cell.gap else plain
            for values in cell_rows(matrix, cell, pdf):
                out = table.row()
                for value in _ordered(values, pdf.rtl):
                    out.cell(value, style=style)
    pdf.ln(5)


def _cover(pdf: ShapedPDF, case: CaseFile, printed: dt.date) -> None:
    align = "R" if pdf.rtl else "L"
    pdf.set_font(FAMILY, size=16)
    pdf.multi_cell(0, 8, pdf.own(case.title), new_x="LMARGIN", new_y="NEXT", align=align)
    pdf.set_font(FAMILY, size=9)
    period = " / ".join(d.isoformat() for d in (case.period_from, case.period_to) if d)
    lines = [
        _("Case matrix of case file %(id)s · %(country)s %(period)s")
        % {"id": case.pk, "country": case.country, "period": pdf.ltr(period)},
        _("Printed on %(date)s") % {"date": printed.isoformat()},
        _(
            "Each element of each charge with the facts and evidence linked to it. A gap is an "
            "element that nothing supports more than weakly."
        ),
    ]
    for line in lines:
        pdf.multi_cell(0, 4.5, line, new_x="LMARGIN", new_y="NEXT", align=align)
    pdf.ln(4)


def build(matrix: Matrix, case: CaseFile, printed: dt.date | None = None) -> ShapedPDF:
    """The document laid out in the active language (exposed for tests)."""
    printed = printed or timezone.localdate()
    footer = _("Case matrix: %(title)s · case file %(id)s · %(date)s") % {
        "title": case.title[:80],
        "id": case.pk,
        "date": printed.isoformat(),
    }
    pdf = document(
        _("Case matrix: %(title)s") % {"title": case.title},
        footer,
        orientation="landscape",
        margin=MARGIN,
    )
    _cover(pdf, case, printed)
    for row in matrix.rows:
        _charge_table(pdf, matrix, row)
    if not matrix.rows:
        pdf.multi_cell(0, 6, _("No charge yet: add one on the case file."))
    return pdf


def matrix_pdf(matrix: Matrix, case: CaseFile, printed: dt.date | None = None) -> bytes:
    return bytes(build(matrix, case, printed).output())
