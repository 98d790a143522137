"""Settings of the grants app, read from environment variables (the README lists them);
imported by ``settings``, which stays one place to read every value from."""

from __future__ import annotations

from urllib.parse import urlparse

from django.core.exceptions import ImproperlyConfigured

from justicework.config import env_int, env_str

#: A call's records are kept at least this many years after its last payment (a programme may
#: keep them longer with its own ``retention_years``, never shorter): docs/grants.md, grmoney.
GRANTS_RETENTION_YEARS = env_int("JUSTICEWORK_GRANTS_RETENTION_YEARS", 5, minimum=1)
#: Grantees are reminded of a report this many days before it is due (and once it is late).
GRANTS_REPORT_REMINDER_DAYS = env_int("JUSTICEWORK_GRANTS_REPORT_REMINDER_DAYS", 7, minimum=0)
#: Links in the report reminders start with this address ("": a path only).
GRANTS_REMINDER_BASE_URL = env_str("JUSTICEWORK_GRANTS_REMINDER_BASE_URL", "") or ""
if urlparse(GRANTS_REMINDER_BASE_URL).scheme not in {"", "http", "https"}:
    raise ImproperlyConfigured("JUSTICEWORK_GRANTS_REMINDER_BASE_URL must start with https://.")

__all__ = ["GRANTS_REMINDER_BASE_URL", "GRANTS_REPORT_REMINDER_DAYS", "GRANTS_RETENTION_YEARS"]
