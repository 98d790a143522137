"""The case matrix as a spreadsheet: one row per element of each charge, with its strength,
whether it is a gap, and its entries (a record the reader may not see is named as such).
Cells are written by ``dataio.export`` (formula-like text neutralised, illegal XML removed)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, Any

from django.utils.translation import gettext as _

from justicework.dataio.export import xlsx_file
from justicework.law.queries_cases import Matrix


def header() -> list[str]:
    return [
        _("Crime"),
        _("Crime title"),
        _("Mode of liability"),
        _("Part"),
        _("Element"),
        _("Type"),
        _("Element text"),
        _("Strength"),
        _("Gap"),
        _("Contradicted"),
        _("Facts and evidence"),
    ]


def rows(matrix: Matrix) -> list[Sequence[Any]]:
    found: list[Sequence[Any]] = []
    for row in matrix.rows:
        for cell in row.cells:
            entries = []
            for entry in cell.entries:
                kind, pk = matrix.link_of(entry)
                what = f"{kind} #{pk}" if pk else _("a record you may not see")
                note = f": {entry.note}" if entry.note else ""
                entries.append(f"{entry.bearing} ({entry.strength}) {what}{note}")
            found.append(
                [
                    row.charge.crime_id,
                    row.crime_title,
                    row.charge.mode_id,
                    cell.part,
                    cell.element.number,
                    cell.element.type,
                    cell.element.text,
                    cell.strength,
                    _("yes") if cell.gap else _("no"),
                    _("yes") if cell.contradicted else _("no"),
                    "\n".join(entries),
                ]
            )
    return found


def matrix_xlsx(matrix: Matrix) -> IO[bytes]:
    return xlsx_file(header(), rows(matrix))
