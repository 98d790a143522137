"""Template helpers for the violations pages: vocabulary labels, country names, fuzzy dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.translation import gettext as _

from justicework.core import countries
from justicework.violations import vocabularies

register = template.Library()


@register.filter
def vocab(code: str | None, vocabulary: str) -> str:
    """The label of ``code`` in ``vocabulary`` in the current language; the code if unknown."""
    if not code:
        return ""
    try:
        return vocabularies.label(vocabulary, code)
    except LookupError:
        return code


@register.filter
def country_name(code: str | None) -> str:
    """The country's name in the active UI language (pycountry's ISO 3166 catalogues)."""
    if not code:
        return ""
    return countries.country_name(code)


def _format(value: dt.date, precision: str) -> str:
    """ISO 8601 (2024-03-12, 2024-03, 2024): unambiguous in every language and direction, and
    cheap to render on pages listing hundreds of acts."""
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


@register.simple_tag
def fuzzy_date(obj: Any) -> str:
    """A human reading of an object's ``start_date``/``end_date``/``date_precision``:
    "2024-03-12", "2024-03", "2024", "2024-03-01 to 2024-03-05", "date unknown";
    "about ..." when the date is approximate."""
    precision = getattr(obj, "date_precision", "day")
    start = getattr(obj, "start_date", None)
    end = getattr(obj, "end_date", None)
    if precision == "unknown" or start is None:
        return _("date unknown")
    if precision == "range" or (end is not None and end != start):
        text = _("%(start)s to %(end)s") % {
            "start": _format(start, "day"),
            "end": _format(end, "day") if end is not None else "…",
        }
    else:
        text = _format(start, precision)
    if getattr(obj, "date_approximate", False):
        text = _("about %(date)s") % {"date": text}
    return text


@register.filter
def iso_date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""
