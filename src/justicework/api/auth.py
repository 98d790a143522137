"""API authentication: personal tokens and the browser session.

* ``Authorization: Bearer jw_...`` — an active (not expired, not revoked) personal token of an
  active user. A ``read`` token may only use GET/HEAD/OPTIONS; anything else is 403.
* The session cookie — a signed-in user; unsafe methods must carry the CSRF token
  (``X-CSRFToken`` header). A user whose role needs MFA but has not set it up gets 403,
  because the MFA middleware lets ``/api/`` through.

Unknown, expired and revoked tokens are 401, and count against the caller's IP rate limit so
nobody can guess tokens at speed.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.security.base import AuthBase
from ninja.utils import check_csrf

from justicework.api.throttle import charge_ip
from justicework.core.middleware import has_strong_authenticator
from justicework.core.models import ApiToken
from justicework.core.tokens import find_active_token

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenAuth(HttpBearer):
    """``Authorization: Bearer jw_...``; returns the :class:`ApiToken`."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = find_active_token(token)
        if found is None:
            charge_ip(request)
            return None
        if request.method not in SAFE_METHODS and not found.allows_writes:
            raise PermissionDenied(_("This token is read-only."))
        request.user = found.user
        return found


class SessionAuth(AuthBase):
    """The signed-in browser session; returns the user."""

    openapi_type = "apiKey"
    openapi_in = "cookie"
    openapi_name = "sessionid"

    def __call__(self, request: HttpRequest) -> Any:
        user = request.user
        if not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise HttpError(403, _("CSRF check failed: send the X-CSRFToken header."))
        if user.requires_mfa and not has_strong_authenticator(user):
            raise PermissionDenied(_("Set up two-factor authentication before using the API."))
        return user


def via_token(request: HttpRequest) -> bool:
    return isinstance(getattr(request, "auth", None), ApiToken)
