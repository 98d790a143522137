"""Streaming readers for CSV, XLSX and KoboToolbox / ODK submissions.

Each reader yields :class:`SourceRow` objects one at a time, so a file of a million rows never
sits in memory (the Kobo JSON is the exception: it is one JSON document, bounded by the size
limit). A problem with the whole file raises :class:`FileProblem` naming the row where it was
found; a problem with one row is carried on the row (``SourceRow.problem``).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

from justicework.dataio.errors import FileProblem as FileProblem
from justicework.dataio.sealed import content_size, open_upload

#: Default size limit of an import file (bytes); settings.IMPORT_MAX_BYTES overrides.
DEFAULT_MAX_BYTES = 1024 * 1024 * 1024
#: Kobo JSON is parsed whole: its own, smaller limit; settings.IMPORT_MAX_JSON_BYTES overrides.
DEFAULT_MAX_JSON_BYTES = 200 * 1024 * 1024
#: A single CSV cell larger than this is refused (csv module limit).
MAX_CELL_CHARS = 1024 * 1024
#: Kobo / ODK JSON nested deeper than this is refused (forms nest groups and repeats a few
#: levels; the limit keeps every reader and the flattening far from the recursion limit).
MAX_JSON_DEPTH = 64


@dataclass(slots=True)
class SourceRow:
    #: The row number a person sees: in CSV and XLSX the header is row 1, the first data row 2;
    #: in Kobo JSON the first submission is 1.
    number: int
    values: dict[str, str]
    #: Added to the row's stable key (Kobo repeat groups: ``victims[2]``).
    key_suffix: str = ""
    #: Shown beside the row number in reports (Kobo: the repeat entry).
    label: str = ""
    problem: str = ""
    problem_column: str = ""


@dataclass
class Source:
    """An opened file: its columns (may grow while reading Kobo) and its rows."""

    columns: list[str]
    rows: Iterator[SourceRow]
    seen_columns: set[str] = field(default_factory=set)
    #: Whether ``columns`` is fixed by a header (CSV, XLSX) or discovered (Kobo).
    fixed_columns: bool = True


def max_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_json_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_JSON_BYTES", DEFAULT_MAX_JSON_BYTES))


def check_size(path: Path, limit: int | None = None) -> int:
    """The content's size (a sealed upload's plaintext), refused over ``limit`` or empty."""

    size = content_size(path)
    limit = max_bytes() if limit is None else limit
    if size > limit:
        raise FileProblem(
            _(
                "The file is %(size)s bytes; the limit is %(limit)s bytes. "
                "Split it into smaller files."
            )
            % {"size": f"{size:,}", "limit": f"{limit:,}"}
        )
    if size == 0:
        raise FileProblem(_("The file is empty."))
    return size


def _header(cells: list[Any]) -> list[str]:
    names = [("" if c is None else str(c)).strip().lstrip("\ufeff") for c in cells]
    while names and names[-1] == "":
        names.pop()
    if not names:
        raise FileProblem(_("The first row must name the columns; it is empty."), row=1)
    seen: set[str] = set()
    for index, name in enumerate(names, start=1):
        if name == "":
            raise FileProblem(
                _("Column %(n)s of the header row has no name.") % {"n": index}, row=1
            )
        if name in seen:
            raise FileProblem(
                _("The header names the column %(name)r twice.") % {"name": name},
                row=1,
                column=name,
            )
        seen.add(name)
    return names


# --- CSV -----------------------------------------------------------------------------------------


def _check_encoding(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError as exc:
        raise FileProblem(_("Unknown text encoding %(e)r.") % {"e": encoding}) from exc


def _open(path: Path) -> IO[bytes]:
    """The file's content: a sealed upload decrypted as it is read (``dataio.sealed``)."""

    return open_upload(path)


def read_csv(path: Path, *, encoding: str = "utf-8", delimiter: str = ",") -> Source:
    """Open a CSV file. ``utf-8`` also accepts (and drops) a byte-order mark."""
    check_size(path)
    encoding = _check_encoding(encoding)
    if encoding == "utf-8":
        encoding = "utf-8-sig"
    handle = _open(path)
    csv.field_size_limit(MAX_CELL_CHARS)
    reader = csv.reader(_decoded_lines(handle, encoding), delimiter=delimiter, strict=True)
    try:
        try:
            first = next(reader)
        except StopIteration as exc:
            raise FileProblem(_("The file is empty.")) from exc
        columns = _header(first)
    except UnicodeDecodeError as exc:
        handle.close()
        raise _encoding_problem(encoding, 1) from exc
    except csv.Error as exc:
        handle.close()
        raise FileProblem(_("Row 1 is not valid CSV: %(e)s") % {"e": exc}, row=1) from exc
    except FileProblem:
        handle.close()
        raise
    return Source(columns=columns, rows=_csv_rows(reader, handle, columns, encoding))


def _decoded_lines(handle: IO[bytes], encoding: str) -> Iterator[str]:
    """Decode line by line, so a decoding error is raised at the row that holds it (a buffered
    text wrapper would fail at whichever row its read-ahead happened to be on)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    pending = ""
    for raw in handle:
        pending += decoder.decode(raw)
        if "\n" in pending:
            *lines, pending = pending.split("\n")
            for line in lines:
                yield line + "\n"
    pending += decoder.decode(b"", final=True)
    if pending:
        yield pending


def _encoding_problem(encoding: str, row: int) -> FileProblem:
    shown = "UTF-8" if encoding.startswith("utf-8") else encoding
    return FileProblem(
        _(
            "Row %(row)s is not valid %(enc)s text. Save the file as %(enc)s (in a spreadsheet: "
            "“CSV UTF-8”) or choose the file's encoding in the mapping."
        )
        % {"row": row, "enc": shown},
        row=row,
    )


def _csv_rows(
    reader: Any, handle: IO[bytes], columns: list[str], encoding: str
) -> Iterator[SourceRow]:
    width = len(columns)
    number = 1
    try:
        while True:
            number += 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError as exc:
                raise _encoding_problem(encoding, number) from exc
            except csv.Error as exc:
                raise FileProblem(
                    _("Row %(row)s is not valid CSV: %(e)s") % {"row": number, "e": exc},
                    row=number,
                ) from exc
            if not any(cells):
                continue
            row = SourceRow(number, dict(zip(columns, cells, strict=False)))
            if len(cells) > width and any(c.strip() for c in cells[width:]):
                row.problem = _("The row has %(n)s cells; the header names %(w)s columns.") % {
                    "n": len(cells),
                    "w": width,
                }
            yield row
    finally:
        handle.close()


# --- XLSX ----------------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A spreadsheet cell as text: dates as ISO 8601, whole numbers without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return str(value)


def read_xlsx(path: Path, *, sheet: str | None = None) -> Source:
    """Open the first (or the named) worksheet of an XLSX file, streaming (read-only mode)."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    check_size(path)
    damaged = _(
        "The file is not a readable XLSX workbook (it may be truncated, damaged or another "
        "format). Save it again from the spreadsheet as .xlsx."
    )
    handle = _open(path)
    try:
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except FileProblem:  # a damaged sealed upload
        handle.close()
        raise
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, EOFError) as exc:
        handle.close()
        raise FileProblem(damaged) from exc
    except Exception as exc:  # XML errors inside a damaged workbook
        handle.close()
        raise FileProblem(damaged) from exc
    try:
        if sheet:
            if sheet not in workbook.sheetnames:
                raise FileProblem(
                    _("The workbook has no sheet called %(s)r; it has: %(names)s.")
                    % {"s": sheet, "names": ", ".join(workbook.sheetnames)}
                )
            worksheet = workbook[sheet]
        else:
            worksheet = workbook.worksheets[0]
        rows = worksheet.iter_rows(values_only=True)
        try:
            first = next(rows)
        except StopIteration as exc:
            raise FileProblem(_("The file is empty.")) from exc
        except Exception as exc:
            raise FileProblem(damaged, row=1) from exc
        columns = _header(list(first))
    except BaseException:
        workbook.close()
        handle.close()
        raise
    return Source(columns=columns, rows=_xlsx_rows(rows, workbook, handle, columns, damaged))


def _xlsx_rows(
    rows: Any, workbook: Any, handle: IO[bytes], columns: list[str], damaged: str
) -> Iterator[SourceRow]:
    width = len(columns)
    number = 1
    try:
        while True:
            number += 1
            try:
                cells = next(rows)
            except StopIteration:
                return
            except Exception as exc:
                raise FileProblem(f"{damaged} (row {number})", row=number) from exc
            texts = [cell_text(c) for c in cells]
            if not any(t.strip() for t in texts):
                continue
            row = SourceRow(number, dict(zip(columns, texts, strict=False)))
            if len(texts) > width and any(t.strip() for t in texts[width:]):
                row.problem = _("The row has values beyond the last named column.")
            yield row
    finally:
        workbook.close()
        handle.close()  # openpyxl does not close a file it was given


# --- KoboToolbox / ODK ---------------------------------------------------------------------------


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return str(value)


def flatten_submission(submission: dict[str, Any]) -> dict[str, str]:
    """Flatten one Kobo submission into ``path -> text``.

    * Group paths stay as Kobo writes them (``incident/date``); nested objects are joined with
      ``/``.
    * A list of plain values (``_geolocation: [lat, lon]``, ``_tags``) gives ``name`` (the values
      joined by spaces, as ODK writes a geopoint) and ``name[1]``, ``name[2]``, ...
    * A repeat group (a list of objects) gives ``group[1]/field``, ``group[2]/field``, ... (ODK
      numbers repeats from 1) and ``group[count]``.
    """
    out: dict[str, str] = {}
    _flatten_into(out, "", submission)
    return out


def _repeat_path(repeat: str, index: int, key: str) -> str:
    if key.startswith(repeat + "/"):
        return f"{repeat}[{index}]/{key[len(repeat) + 1 :]}"
    return f"{repeat}[{index}]/{key}"


def _flatten_into(out: dict[str, str], prefix: str, value: Any) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten_into(out, f"{prefix}/{key}" if prefix else str(key), item)
    elif isinstance(value, list):
        if all(not isinstance(item, dict | list) for item in value):
            out[prefix] = " ".join(_scalar(item) for item in value)
            for index, item in enumerate(value, start=1):
                out[f"{prefix}[{index}]"] = _scalar(item)
        else:
            out[f"{prefix}[count]"] = str(len(value))
            for index, item in enumerate(value, start=1):
                if isinstance(item, dict):
                    for key, sub in item.items():
                        _flatten_into(out, _repeat_path(prefix, index, str(key)), sub)
                else:
                    _flatten_into(out, f"{prefix}[{index}]", item)
    else:
        out[prefix] = _scalar(value)


def _submissions(document: Any) -> list[Any]:
    if isinstance(document, dict) and isinstance(document.get("results"), list):
        return list(document["results"])
    if isinstance(document, list):
        return document
    raise FileProblem(
        _(
            "This JSON is not a list of KoboToolbox / ODK submissions: expected "
            '{"results": [...]} (the Kobo data API) or a list of submissions.'
        )
    )


def nested_deeper_than(document: Any, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether a parsed JSON value nests lists and objects more than ``limit`` levels deep
    (the outermost list or object is level 1). Iterative: no recursion, whatever the depth."""
    if not isinstance(document, dict | list):
        return False
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        children = value.values() if isinstance(value, dict) else value
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def too_deep_message(what: str) -> str:
    return _(
        "%(what)s is nested deeper than %(n)s levels; KoboToolbox / ODK submissions nest "
        "groups and repeats only a few levels deep."
    ) % {"what": what, "n": MAX_JSON_DEPTH}


def load_json(handle: IO[str]) -> Any:
    """``json.load`` that answers a :class:`FileProblem` for a document nested deeper than
    ``MAX_JSON_DEPTH`` (the parser's own recursion would end in a ``RecursionError``)."""
    try:
        document = json.load(handle)
    except RecursionError:
        document = None
        deep = True
    else:
        deep = nested_deeper_than(document)
    if deep:
        raise FileProblem(too_deep_message(_("The JSON")))
    return document


def read_kobo(path: Path, *, repeat: str | None = None, encoding: str = "utf-8") -> Source:
    """Open Kobo/ODK submissions JSON. With ``repeat``, each entry of that repeat group becomes
    its own row (the submission's other fields are copied to each), keyed ``_uuid`` + entry."""
    check_size(path, min(max_bytes(), max_json_bytes()))
    try:
        encoding = _check_encoding(encoding)
        with io.TextIOWrapper(_open(path), encoding=encoding, errors="strict") as handle:
            document = load_json(handle)
    except UnicodeDecodeError as exc:
        raise _encoding_problem(encoding, 0) from exc
    except json.JSONDecodeError as exc:
        raise FileProblem(
            _("The JSON is not valid (line %(line)s, column %(col)s: %(msg)s). Is it truncated?")
            % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg}
        ) from exc
    submissions = _submissions(document)
    source = Source(columns=[], rows=iter(()), fixed_columns=False)
    source.rows = _kobo_rows(submissions, repeat, source)
    return source


def _kobo_rows(submissions: list[Any], repeat: str | None, source: Source) -> Iterator[SourceRow]:
    for number, submission in enumerate(submissions, start=1):
        if not isinstance(submission, dict):
            yield SourceRow(
                number, {}, problem=_("The submission is not a JSON object; it was skipped.")
            )
            continue
        if repeat is None:
            values = flatten_submission(submission)
            source.seen_columns.update(values)
            yield SourceRow(number, values)
            continue
        entries = submission.get(repeat)
        parent = {k: v for k, v in submission.items() if k != repeat}
        base = flatten_submission(parent)
        source.seen_columns.update(base)
        if not isinstance(entries, list) or not entries:
            continue
        for index, entry in enumerate(entries, start=1):
            values = dict(base)
            if isinstance(entry, dict):
                flat = flatten_submission(entry)
                values.update(flat)
                source.seen_columns.update(flat)
            yield SourceRow(
                number, values, key_suffix=f"{repeat}[{index}]", label=f"{repeat}[{index}]"
            )
