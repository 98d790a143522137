"""Formula-injection neutralisation for spreadsheet cells (OWASP "CSV injection").

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return may be run
as a formula by a spreadsheet. :func:`neutralise` prefixes such a cell with a single quote. It also
prefixes a cell that already starts with a quote, so :func:`unneutralise` (used by the importer)
restores every value exactly: export → import is lossless.
"""

from __future__ import annotations

from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"
_GUARDED = (*FORMULA_PREFIXES, GUARD)


def neutralise(value: Any) -> Any:
    """The cell value to write to CSV/XLSX: text that could start a formula gets a ``'`` prefix.
    Non-text values (numbers, dates, ``None``) are returned unchanged."""
    if isinstance(value, str) and value.startswith(_GUARDED):
        return GUARD + value
    return value


def unneutralise(value: str) -> str:
    """Undo :func:`neutralise` on a cell read back from a file."""
    if len(value) >= 2 and value[0] == GUARD and value[1:].startswith(_GUARDED):
        return value[1:]
    return value


def is_safe(value: Any) -> bool:
    """True if a spreadsheet would not read ``value`` as a formula."""
    return not (isinstance(value, str) and value.startswith(FORMULA_PREFIXES))
