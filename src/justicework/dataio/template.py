"""A field built from several columns: ``{"template": "{city}, {state}"}``.

Each ``{column}`` is replaced by that column's cell; ``{{`` and ``}}`` are literal braces. The
text between two columns is a separator, kept only between two non-empty cells, so
``{city}, {state}`` gives ``Kharkiv, Kharkiv Oblast``, or ``Kharkiv`` when the state is empty;
an empty cell drops the separator before it; the text before the first column and after the
last is kept when any cell is filled. When every
cell is empty the value is empty (the field's ``default`` applies, as for a column)."""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Template:
    text: str
    #: (literal text before the column, column), in order; ``tail`` follows the last one.
    parts: tuple[tuple[str, str], ...]
    tail: str

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(column for _literal, column in self.parts)

    def render(self, cell: Callable[[str], str]) -> str:
        out: list[str] = []
        separator = ""
        for literal, column in self.parts:
            if out:
                separator += literal
            value = cell(column)
            if not value:  # its separator goes with it
                separator = ""
                continue
            out.append((separator if out else "") + value)
            separator = ""
        if not out:
            return ""
        return (self.parts[0][0] + "".join(out) + self.tail).strip()


def parse_template(name: str, text: str) -> tuple[Template | None, list[str]]:
    """The template of field ``name``, or ``None`` and every reason why ``text`` is not one."""
    try:
        pieces = list(string.Formatter().parse(text))
    except ValueError as exc:
        return None, [
            _("“%(f)s”: the template %(t)r is not valid (%(e)s); write columns as {column} and "
              "a literal brace as {{ or }}.") % {"f": name, "t": text, "e": exc}
        ]  # fmt: skip
    problems: list[str] = []
    parts: list[tuple[str, str]] = []
    tail = ""
    pending = ""
    for literal, column, spec, conversion in pieces:
        pending += literal
        if column is None:
            continue
        if spec or conversion:
            problems.append(
                _("“%(f)s”: in the template, {%(c)s} must be a plain column name (no “:” or “!”).")
                % {"f": name, "c": column + (f"!{conversion}" if conversion else "")}
            )
        if not column.strip() or column.isdigit():
            problems.append(
                _("“%(f)s”: the template has an empty or numbered {}; name a column inside "
                  "the braces.") % {"f": name}
            )  # fmt: skip
        parts.append((pending, column))
        pending = ""
    tail = pending
    if not parts and not problems:
        problems.append(
            _("“%(f)s”: the template %(t)r names no column; write columns as {column} (for the "
              "same text on every row, use a constant).") % {"f": name, "t": text}
        )  # fmt: skip
    if problems:
        return None, problems
    return Template(text, tuple(parts), tail), []
