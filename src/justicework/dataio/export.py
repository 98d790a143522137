"""Streaming writers for exports: CSV and JSON generate bytes row by row; XLSX is written with
openpyxl's write-only workbook to a temporary file (constant memory) and then streamed.

Every CSV and XLSX text cell goes through :func:`~justicework.dataio.neutralise.neutralise`.
JSON is data, not a spreadsheet: its values are written as they are.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from justicework.dataio.neutralise import neutralise

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
FORMATS = tuple(CONTENT_TYPES)

# Characters XML 1.0 (and so XLSX) cannot hold.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class _Line:
    """A file-like object whose ``write`` returns what was written (for csv.writer)."""

    def write(self, value: str) -> str:
        return value


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        value = "; ".join(str(v) for v in value)
    return neutralise(value if isinstance(value, int | float) else str(value))


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """UTF-8 CSV with a byte-order mark (spreadsheets then detect UTF-8), one row at a time."""
    writer = csv.writer(_Line())
    yield "\ufeff".encode() + writer.writerow([neutralise(h) for h in header]).encode()
    for row in rows:
        yield writer.writerow([_csv_cell(v) for v in row]).encode("utf-8", "surrogatepass")


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def json_chunks(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """A JSON array of objects keyed by the header, one object per line."""
    yield b"[\n"
    first = True
    for row in rows:
        item = json.dumps(
            dict(zip(header, row, strict=True)), ensure_ascii=False, default=_json_default
        )
        yield (item if first else ",\n" + item).encode("utf-8", "surrogatepass")
        first = False
    yield b"\n]\n"


def _xlsx_cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**15:
        return neutralise(
            str(value)
        )  # a spreadsheet keeps 15 significant digits; keep every digit as text
    if isinstance(value, bool | int | float | dt.date):
        return value
    if isinstance(value, list | tuple):
        value = "; ".join(str(v) for v in value)
    return neutralise(xlsx_text(str(value)))


def xlsx_text(value: str) -> str:
    """Text as XLSX stores it: no characters XML forbids, line ends as ``\\n`` (XML turns a
    carriage return into a line feed on reading anyway)."""
    return _ILLEGAL_XML.sub("", value).replace("\r\n", "\n").replace("\r", "\n")


def write_xlsx(header: Sequence[str], rows: Iterable[Sequence[Any]], out: IO[bytes]) -> None:
    """Write a one-sheet workbook with openpyxl's write-only mode (rows are not kept)."""
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("export")
    sheet.append([_xlsx_cell(h) for h in header])
    for row in rows:
        sheet.append([_xlsx_cell(v) for v in row])
    workbook.save(out)


def xlsx_file(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> IO[bytes]:
    """The workbook in a temporary file, rewound; the file disappears when closed."""
    out = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - the response closes it
    write_xlsx(header, rows, out)
    out.seek(0)
    return out
