"""Settings of the survivors app, read from environment variables (the README lists them);
imported by ``settings``, which stays one place to read every value from."""

from __future__ import annotations

from urllib.parse import urlparse

from django.core.exceptions import ImproperlyConfigured

from justicework.config import env_bool, env_int, env_str

#: Survivors: "not updated" after N days; the survivor page (off unless set): code validity,
#: visit length, code attempts per IP and per code (docs/survivors.md, section i13particip).
SURVIVORS_UPDATE_DAYS = env_int("JUSTICEWORK_SURVIVORS_UPDATE_DAYS", 90, minimum=1)
SURVIVORS_PAGE = env_bool("JUSTICEWORK_SURVIVORS_PAGE", False)
SURVIVORS_PAGE_CODE_DAYS = env_int("JUSTICEWORK_SURVIVORS_PAGE_CODE_DAYS", 90, minimum=1)
SURVIVORS_PAGE_SESSION_MINUTES = env_int("JUSTICEWORK_SURVIVORS_PAGE_SESSION_MINUTES", 15)
SURVIVORS_PAGE_IP_RATE = env_str("JUSTICEWORK_SURVIVORS_PAGE_IP_RATE", "20/h") or "20/h"
SURVIVORS_PAGE_CODE_RATE = env_str("JUSTICEWORK_SURVIVORS_PAGE_CODE_RATE", "5/h") or "5/h"

#: Where the "quick exit" button of the survivors pages sends the browser (a neutral site).
SURVIVORS_QUICK_EXIT_URL = (
    env_str("JUSTICEWORK_SURVIVORS_QUICK_EXIT_URL", "https://www.wikipedia.org/")
    or "https://www.wikipedia.org/"
)
if not SURVIVORS_QUICK_EXIT_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("JUSTICEWORK_SURVIVORS_QUICK_EXIT_URL must be an http(s) address.")
#: The browser tab title of the survivors pages ("" = the translated "Notes"): it must not say
#: what the page is about to someone looking over a shoulder or at the history.
SURVIVORS_NEUTRAL_TITLE = env_str("JUSTICEWORK_SURVIVORS_NEUTRAL_TITLE", "") or ""
#: A survivor interviewed more than this many times is listed on the interviews report.
SURVIVORS_INTERVIEW_LIMIT = env_int("JUSTICEWORK_SURVIVORS_INTERVIEW_LIMIT", 2, minimum=1)
#: Survivor counts by sex, gender or age group below this are shown as "fewer than N" (small
#: cells could re-identify a survivor).
SURVIVORS_MIN_CELL = env_int("JUSTICEWORK_SURVIVORS_MIN_CELL", 5, minimum=1)
#: Links in survivors' support reminders start with this address ("": a path only).
SURVIVORS_REMINDER_BASE_URL = env_str("JUSTICEWORK_SURVIVORS_REMINDER_BASE_URL", "") or ""
if urlparse(SURVIVORS_REMINDER_BASE_URL).scheme not in {"", "http", "https"}:
    raise ImproperlyConfigured("JUSTICEWORK_SURVIVORS_REMINDER_BASE_URL must start with https://.")

__all__ = [
    "SURVIVORS_INTERVIEW_LIMIT",
    "SURVIVORS_MIN_CELL",
    "SURVIVORS_NEUTRAL_TITLE",
    "SURVIVORS_PAGE",
    "SURVIVORS_PAGE_CODE_DAYS",
    "SURVIVORS_PAGE_CODE_RATE",
    "SURVIVORS_PAGE_IP_RATE",
    "SURVIVORS_PAGE_SESSION_MINUTES",
    "SURVIVORS_QUICK_EXIT_URL",
    "SURVIVORS_REMINDER_BASE_URL",
    "SURVIVORS_UPDATE_DAYS",
]
