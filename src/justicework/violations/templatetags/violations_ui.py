"""Template helpers for the violations pages: vocabulary labels, country names, fuzzy dates,
coordinates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import formats
from django.utils.html import format_html
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
    """The date as the active language writes it (``formats/<language>``): "14 May 2025",
    "May 2025", "2025"; the same format on every page."""
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return formats.date_format(value, "YEAR_MONTH_FORMAT")
    return formats.date_format(value, "DATE_FORMAT")


@register.simple_tag
def fuzzy_date(obj: Any) -> str:
    """A human reading of an object's ``start_date``/``end_date``/``date_precision``:
    "14 May 2025", "May 2025", "2025", "1 March 2024 to 5 March 2024", "date unknown";
    "about ..." when the date is approximate. Isolated (``<bdi>``) so that, in Arabic, the
    text around it never reorders its parts."""
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
    return format_html("<bdi>{}</bdi>", text)


@register.filter
def iso_date(value: dt.date | None) -> str:
    """ISO 8601, for machines (``<time datetime>``)."""
    return value.isoformat() if value else ""


@register.filter
def coordinates(location: Any) -> str:
    """ "48.7389, 37.5844": a point's latitude and longitude with a full stop in every language
    (a comma would split them), kept left to right in Arabic."""
    if location.latitude is None or location.longitude is None:
        return ""
    return format_html(
        '<span class="ltr">{}, {}</span>', _degrees(location.latitude), _degrees(location.longitude)
    )


def _degrees(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")  # six decimals: about 10 cm
