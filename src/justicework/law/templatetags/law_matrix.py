"""The case matrix's cells as template tags: ``{% cell_strength cell key %}`` (the strength
label with its gap and contradiction marks), ``{% cell_count cell key %}`` (the counts of
supporting and contradicting entries), both also used by the cell's page and fragment
(``oob=True`` when the fragment refreshes them after an edit), and ``{% matrix_rows cells %}``
(one charge's table rows). Written in Python because the matrix page shows hundreds of cells
and every template node costs time there (docs/benchmarks.md, section lawmatrix)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from justicework.law.case_matrix import Cell

register = template.Library()
OOB = mark_safe(' hx-swap-oob="true"')
GAP = mark_safe(' class="law-gap"')


class _Labels:
    """The cells' words, translated once per page rather than once per cell."""

    def __init__(self) -> None:
        self.strength = {
            "none": _("none"),
            "weak": _("weak"),
            "moderate": _("moderate"),
            "strong": _("strong"),
        }
        self.gap = format_html(' <strong class="law-gap-label">{}</strong>', _("gap"))
        self.contradicted = format_html(
            ' <em class="law-contradicted" title="{}">⚠ {}</em>',
            _("Something contradicts this element"),
            _("contradicted"),
        )
        self.parts = {"crime": _("Crime"), "mode": _("Mode")}
        self.open = _("Open the entries")
        self._counts: dict[tuple[str, int], str] = {}

    def count(self, bearing: str, n: int) -> str:
        found = self._counts.get((bearing, n))
        if found is None:
            if bearing == "supports":
                found = ngettext("%(count)s supporting", "%(count)s supporting", n)
            else:
                found = ngettext("%(count)s contradicting", "%(count)s contradicting", n)
            found = self._counts[(bearing, n)] = found % {"count": n}
        return found


def _strength(cell: Cell, key: str, labels: _Labels, oob: bool = False) -> SafeString:
    return format_html(
        '<span id="strength-{}" class="law-strength law-strength--{}"{}>{}{}{}</span>',
        key,
        cell.strength,
        OOB if oob else "",
        labels.strength.get(cell.strength, cell.strength),
        labels.gap if cell.gap else "",
        labels.contradicted if cell.contradicted else "",
    )


def _count(cell: Cell, key: str, labels: _Labels, oob: bool = False) -> SafeString:
    tally = cell.tally
    contradicting = ""
    if tally.contradicting:
        text = labels.count("contradicts", tally.contradicting)
        contradicting = format_html(", <strong>{}</strong>", text)
    supporting = labels.count("supports", tally.supporting)
    return format_html(
        '<span id="count-{}"{}>{}{}</span>', key, OOB if oob else "", supporting, contradicting
    )


@register.simple_tag
def cell_strength(cell: Cell, key: str, oob: bool = False) -> SafeString:
    return _strength(cell, key, _Labels(), oob)


@register.simple_tag
def cell_count(cell: Cell, key: str, oob: bool = False) -> SafeString:
    return _count(cell, key, _Labels(), oob)


def _row(found: Mapping[str, Any], labels: _Labels) -> SafeString:
    cell: Cell = found["cell"]
    key, url = found["key"], found["url"]
    entries: SafeString | str = "—"
    if cell.tally.total:
        # without JavaScript the details open on the link to the cell's page
        entries = format_html(
            '<details class="law-cell"><summary>{}</summary><div hx-get="{}" '
            'hx-trigger="toggle once from:closest details" hx-swap="innerHTML">'
            '<a href="{}">{}</a></div></details>',
            _count(cell, key, labels),
            url,
            url,
            labels.open,
        )
    element = cell.element
    return format_html(
        '<tr id="cell-{}"{}><th scope="row">{} {}. {}</th><td>{}</td><td>{}</td><td>{}</td></tr>',
        key,
        GAP if cell.gap else "",
        labels.parts[cell.part],
        element.number,
        element.text,
        element.type,
        _strength(cell, key, labels),
        entries,
    )


@register.simple_tag
def matrix_rows(cells: Iterable[Mapping[str, Any]]) -> SafeString:
    """The table rows of one charge: ``cells`` as the matrix view lists them (``cell``,
    ``key``, ``url``)."""
    labels = _Labels()
    return format_html_join("", "{}", ((_row(c, labels),) for c in cells))
