"""Date helpers shared by validation code."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

#: No time zone is more than twelve hours behind UTC (UTC-12 is the westernmost offset).
_WESTMOST = dt.timedelta(hours=12)


def is_future(value: dt.date) -> bool:
    """``value > timezone.localdate()``, cheaply for the usual case: a date on or before the
    UTC date twelve hours ago is not in the future in any time zone, so the current time zone
    (a context-local look-up, most of ``localdate``'s cost in bulk validation) is only asked
    for dates from yesterday on."""
    if value <= (timezone.now() - _WESTMOST).date():
        return False
    return value > timezone.localdate()
