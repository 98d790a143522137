"""Survivor page codes: making, hashing and checking them, and the attempt limits.

A code is 12 characters from an alphabet without look-alikes (no 0/O, 1/I/L), shown as
``ABCD-EFGH-JKMN``: 4 for the look-up (~20 bits, not secret), 8 secret (~40 bits). The secret
is kept as a salted scrypt hash, so a copy of the database does not open the page. Attempts
are limited per client IP and per code look-up (a fixed window in the cache, as the duplicate
check's limit in ``violations.duplicates``): at the default 5 an hour per code, guessing one
code's secret takes on the order of 10^11 hours.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LOOKUP_CHARS = 4
SECRET_CHARS = 8
#: scrypt cost: ~16 MiB and tens of milliseconds per check; the rate limits do the rest
SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


def page_on(organisation_id: int) -> bool:
    """Does the organisation offer the survivor page (the instance allowing it, and the
    organisation's own switch on)? One query."""
    from justicework.survivors.models import SurvivorPageSwitch

    return bool(settings.SURVIVORS_PAGE) and (
        SurvivorPageSwitch.objects.filter(organisation_id=organisation_id, enabled=True).exists()
    )


def _random(n: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(n))


def new_code() -> tuple[str, str]:
    """``(lookup, secret)`` of a fresh code."""
    return _random(LOOKUP_CHARS), _random(SECRET_CHARS)


def display(lookup: str, secret: str) -> str:
    whole = lookup + secret
    return "-".join(whole[i : i + 4] for i in range(0, len(whole), 4))


def split(typed: str) -> tuple[str, str] | None:
    """The (lookup, secret) of what the survivor typed: spaces, dashes and case forgiven;
    None when it cannot be a code."""
    cleaned = "".join(c for c in typed.upper() if c.isalnum())
    if len(cleaned) != LOOKUP_CHARS + SECRET_CHARS or any(c not in ALPHABET for c in cleaned):
        return None
    return cleaned[:LOOKUP_CHARS], cleaned[LOOKUP_CHARS:]


def hash_secret(secret: str, salt: bytes | None = None) -> str:
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode("ascii"), salt=salt, **SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def secret_matches(secret: str, stored: str) -> bool:
    try:
        _scheme, salt_hex, _digest = stored.split("$")
        salt = bytes.fromhex(salt_hex)
    except ValueError:
        return False
    return hmac.compare_digest(hash_secret(secret, salt), stored)


class TooManyAttempts(Exception):
    def __init__(self, wait: int) -> None:
        super().__init__(wait)
        self.wait = wait


def _parse_rate(rate: str) -> tuple[int, int]:
    count, _slash, period = rate.partition("/")
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}.get(period.strip()[:1].lower())
    if seconds is None or not count.strip().isdigit():
        raise ImproperlyConfigured(f"A survivor page rate reads like 5/h; got {rate!r}.")
    return int(count), seconds


def _charge(key: str, rate: str) -> None:
    limit, period = _parse_rate(rate)
    now = time.time()
    window = int(now // period)
    full = f"justicework:survivorpage:{key}:{window}"
    cache.add(full, 0, timeout=period + 1)
    try:
        used = cache.incr(full)
    except ValueError:  # expired between add and incr
        cache.set(full, 1, timeout=period + 1)
        used = 1
    if used > limit:
        raise TooManyAttempts(max(1, math.ceil((window + 1) * period - now)))


def client_ip(request: HttpRequest) -> str:
    """The client IP as the login lock-out sees it (``JUSTICEWORK_TRUSTED_PROXY_COUNT``)."""
    from allauth.account.adapter import get_adapter

    return str(get_adapter().get_client_ip(request))


def charge_attempt(request: HttpRequest, lookup: str | None) -> None:
    """Count one attempt against the client's IP and (if the typed text can be a code)
    against its look-up; :class:`TooManyAttempts` when either is spent."""
    _charge(f"ip:{client_ip(request)}", settings.SURVIVORS_PAGE_IP_RATE)
    if lookup is not None:
        _charge(f"code:{lookup}", settings.SURVIVORS_PAGE_CODE_RATE)
