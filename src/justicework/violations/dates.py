"""The date rules of an incident or a violation, in one place.

A record's dates are a start, an end and a precision (see ``FuzzyDates``). The model's
``clean``, the incident and violation forms and the importer all ask :func:`date_problems`,
so a date accepted by one is accepted by all; :func:`parse_partial` reads the partial dates
(``2024``, ``2024-03``) the importer accepts.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from justicework.core.dates import is_future


class DatePrecision(models.TextChoices):
    DAY = "day", gettext_lazy("Day")
    MONTH = "month", gettext_lazy("Month")
    YEAR = "year", gettext_lazy("Year")
    RANGE = "range", gettext_lazy("Range")
    UNKNOWN = "unknown", gettext_lazy("Unknown")


_YEAR = re.compile(r"^\d{4}$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def date_problems(
    start: dt.date | None,
    end: dt.date | None,
    precision: str | None,
    *,
    inherits: bool = False,
) -> dict[str, str]:
    """What is wrong with these dates, by field (``start_date``/``end_date``); empty if nothing.

    ``precision`` None means not given. A record whose precision is ``unknown`` needs no start,
    but dates it does carry are still checked. ``inherits``: an empty start means "the dates
    of the enclosing record" (a violation takes its incident's), so a start is needed only
    with an end, and a range only needs its end once a start is given.
    """
    problems: dict[str, str] = {}
    if inherits:
        if start is None and end is not None:
            problems["start_date"] = _("A start date is needed with an end date.")
    elif start is None and precision and precision != DatePrecision.UNKNOWN:
        problems["start_date"] = _("A start date is needed unless the date is unknown.")
    if precision == DatePrecision.RANGE and end is None and (start is not None or not inherits):
        problems["end_date"] = _("A date range needs an end date.")
    if start is not None and end is not None and end < start:
        problems["end_date"] = _("The end date is before the start date.")
    if start is not None and is_future(start):
        problems["start_date"] = _("The start date is in the future.")
    return problems


def parse_partial(value: str, exact: Callable[[str], dt.date]) -> tuple[dt.date, str]:
    """``2024`` (year), ``2024-03`` (month) or a full date read by ``exact`` (day) →
    (first day of the period, precision). A full date in the future is refused here."""
    if _YEAR.match(value):
        return dt.date(int(value), 1, 1), DatePrecision.YEAR
    month = _MONTH.match(value)
    if month:
        try:
            return dt.date(int(month[1]), int(month[2]), 1), DatePrecision.MONTH
        except ValueError:
            raise ValueError(_("%(v)r is not a real month.") % {"v": value}) from None
    return past(exact(value)), DatePrecision.DAY


def past(value: dt.date) -> dt.date:
    """``value``, or ValueError naming it if it is in the future."""
    if is_future(value):
        raise ValueError(_("%(v)s is in the future.") % {"v": value.isoformat()})
    return value
