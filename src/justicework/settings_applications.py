"""Settings of the grants app's applications, read from environment variables; imported by
``settings``, which stays one place to read every value from."""

from __future__ import annotations

from urllib.parse import urlparse

from django.core.exceptions import ImproperlyConfigured

from justicework.config import env_int, env_str

#: The largest file an applicant may attach (bytes; 20 MB by default).
GRANTS_ATTACHMENT_MAX_BYTES = env_int(
    "JUSTICEWORK_GRANTS_ATTACHMENT_MAX_BYTES", 20_000_000, minimum=1
)
#: Links in applicants' status e-mails start with this address ("": a path only).
GRANTS_NOTICE_BASE_URL = env_str("JUSTICEWORK_GRANTS_NOTICE_BASE_URL", "") or ""
if urlparse(GRANTS_NOTICE_BASE_URL).scheme not in {"", "http", "https"}:
    raise ImproperlyConfigured("JUSTICEWORK_GRANTS_NOTICE_BASE_URL must start with https://.")

__all__ = ["GRANTS_ATTACHMENT_MAX_BYTES", "GRANTS_NOTICE_BASE_URL"]
