"""The case matrix's cells as template tags: ``{% cell_strength cell key %}`` (the strength
label with its gap and contradiction marks), ``{% cell_count cell key %}`` (the counts of
supporting and contradicting entries), both also used by the cell's page and fragment
(``oob=True`` when the fragment refreshes them after an edit), and ``{% matrix_rows cells %}``
(one charge's table rows). Written in Python because the matrix page shows hundreds of cells
and every template node costs time there (docs/benchmarks.md, section lawmatrix)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from justicework.law.case_matrix import Cell

register = template.Library()
OOB = ' hx-swap-oob="true"'


@lru_cache(maxsize=4096)
def _text(value: str) -> str:
    """``value`` escaped for HTML, remembered: the same catalogue texts and words come back on
    every page."""
    return str(escape(value))


class _Labels:
    """The cells' words, translated and escaped once per page rather than once per cell."""

    def __init__(self) -> None:
        self.strength = {
            "none": _text(_("none")),
            "weak": _text(_("weak")),
            "moderate": _text(_("moderate")),
            "strong": _text(_("strong")),
        }
        self.gap = f' <strong class="law-gap-label">{_text(_("gap"))}</strong>'
        title = _text(_("Something contradicts this element"))
        self.contradicted = (
            f' <em class="law-contradicted" title="{title}">⚠ {_text(_("contradicted"))}</em>'
        )
        self.parts = {"crime": _text(_("Crime")), "mode": _text(_("Mode"))}
        self.open = _text(_("Open the entries"))
        self._counts: dict[tuple[str, int], str] = {}

    def count(self, bearing: str, n: int) -> str:
        found = self._counts.get((bearing, n))
        if found is None:
            if bearing == "supports":
                found = ngettext("%(count)s supporting", "%(count)s supporting", n)
            else:
                found = ngettext("%(count)s contradicting", "%(count)s contradicting", n)
            found = self._counts[(bearing, n)] = _text(found % {"count": n})
        return found


# Below, every piece put into the markup is escaped (``_text``, ``_Labels``) or a constant.


def _strength(cell: Cell, key: str, labels: _Labels, oob: bool = False) -> str:
    gap = labels.gap if cell.gap else ""
    contradicted = labels.contradicted if cell.contradicted else ""
    strength = cell.strength
    return (
        f'<span id="strength-{key}" class="law-strength law-strength--{_text(strength)}"'
        f"{OOB if oob else ''}>{labels.strength.get(strength) or _text(strength)}{gap}"
        f"{contradicted}</span>"
    )


def _count(cell: Cell, key: str, labels: _Labels, oob: bool = False) -> str:
    tally = cell.tally
    contradicting = ""
    if tally.contradicting:
        contradicting = f", <strong>{labels.count('contradicts', tally.contradicting)}</strong>"
    supporting = labels.count("supports", tally.supporting)
    return f'<span id="count-{key}"{OOB if oob else ""}>{supporting}{contradicting}</span>'


@register.simple_tag
def cell_strength(cell: Cell, key: str, oob: bool = False) -> SafeString:
    return mark_safe(_strength(cell, _text(key), _Labels(), oob))  # noqa: S308 - escaped


@register.simple_tag
def cell_count(cell: Cell, key: str, oob: bool = False) -> SafeString:
    return mark_safe(_count(cell, _text(key), _Labels(), oob))  # noqa: S308 - escaped


def _row(found: Mapping[str, Any], labels: _Labels) -> str:
    cell: Cell = found["cell"]
    key, url = _text(found["key"]), _text(found["url"])
    entries = "—"
    if cell.tally.total:
        # without JavaScript the details open on the link to the cell's page
        entries = (
            f'<details class="law-cell"><summary>{_count(cell, key, labels)}</summary>'
            f'<div hx-get="{url}" hx-trigger="toggle once from:closest details" '
            f'hx-swap="innerHTML"><a href="{url}">{labels.open}</a></div></details>'
        )
    element = cell.element
    gap = ' class="law-gap"' if cell.gap else ""
    return (
        f'<tr id="cell-{key}"{gap}><th scope="row">'
        f"{labels.parts[cell.part]} {element.number}. {_text(element.text)}</th>"
        f"<td>{_text(element.type)}</td><td>{_strength(cell, key, labels)}</td>"
        f"<td>{entries}</td></tr>"
    )


@register.simple_tag
def matrix_rows(cells: Iterable[Mapping[str, Any]]) -> SafeString:
    """The table rows of one charge: ``cells`` as the matrix view lists them (``cell``,
    ``key``, ``url``)."""
    labels = _Labels()
    return mark_safe("".join(_row(c, labels) for c in cells))  # noqa: S308 - escaped
