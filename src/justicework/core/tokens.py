"""Personal API token secrets: generation, hashing and look-up.

A token reads ``jw_<43 url-safe characters>`` (256 random bits). The database keeps only its
SHA-256 and a short display prefix; a leaked database therefore does not leak usable tokens.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.utils import timezone

from justicework.core.models import ApiToken

TOKEN_PREFIX = "jw_"  # noqa: S105  # a public marker, not a secret
#: How many characters of the token (after ``jw_``) are kept for display.
DISPLAY_CHARS = 8
#: ``last_used_at`` is written at most this often per token (seconds), not on every request.
LAST_USED_RESOLUTION = 60


def generate_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def display_prefix(secret: str) -> str:
    return secret[: len(TOKEN_PREFIX) + DISPLAY_CHARS]


def find_active_token(secret: str) -> ApiToken | None:
    """The active token with this secret, or ``None`` (unknown, revoked, expired, or the
    owner is deactivated). Touches ``last_used_at`` at most once a minute."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    digest = hash_secret(secret)
    token = ApiToken.objects.select_related("user").filter(secret_hash=digest).first()
    if token is None or not hmac.compare_digest(token.secret_hash, digest):
        return None
    if not token.is_active or not token.user.is_active:
        return None
    now = timezone.now()
    if (
        token.last_used_at is None
        or (now - token.last_used_at).total_seconds() > LAST_USED_RESOLUTION
    ):
        # Usage bookkeeping, not a domain change: no audit entry, no action.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
