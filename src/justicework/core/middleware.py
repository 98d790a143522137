"""Session lifetime, the active organisation, and the MFA requirement."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

Handler = Callable[[HttpRequest], HttpResponse]

ACTIVE_ORG_SESSION_KEY = "justicework_active_org"
SESSION_STARTED_KEY = "justicework_session_started"
SESSION_SEEN_KEY = "justicework_session_seen"
#: Seconds between updates of the "last seen" stamp (the idle timeout's resolution).
SEEN_RESOLUTION = 60


def _to_login(request: HttpRequest) -> HttpResponse:
    """Send the browser to the login page, back to this page afterwards (HTMX: a full redirect
    instead of swapping the login page into a fragment)."""
    url = f"{reverse('account_login')}?{urlencode({'next': request.get_full_path()})}"
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


class SessionTimeoutMiddleware:
    """Log out after ``SESSION_IDLE_TIMEOUT`` seconds without a request, and in any case
    ``SESSION_ABSOLUTE_TIMEOUT`` seconds after login.

    The login time is stamped at login (``core.auth_audit.on_logged_in``); a session without a
    stamp (created before this middleware existed) is stamped on its first request.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if hasattr(request, "session") and request.user.is_authenticated:
            now = int(time.time())
            started = request.session.get(SESSION_STARTED_KEY)
            seen = request.session.get(SESSION_SEEN_KEY)
            if started is None:
                request.session[SESSION_STARTED_KEY] = started = now
            expired = now - int(started) > settings.SESSION_ABSOLUTE_TIMEOUT or (
                seen is not None and now - int(seen) > settings.SESSION_IDLE_TIMEOUT
            )
            if expired:
                logout(request)
                if request.path.startswith("/api/"):
                    # The API answers 401 itself: the request goes on as anonymous.
                    return self.get_response(request)
                return _to_login(request)
            if seen is None or now - int(seen) >= SEEN_RESOLUTION:
                # Stamped at most once a minute, so most requests do not write the session.
                request.session[SESSION_SEEN_KEY] = now
        return self.get_response(request)


class ActiveOrganisationMiddleware:
    """Puts the user's active membership on ``request.membership`` (and the user)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = None  # type: ignore[attr-defined]  # request attribute we own
        user = request.user
        if user.is_authenticated:
            memberships = user.active_memberships()
            wanted = request.session.get(ACTIVE_ORG_SESSION_KEY)
            chosen = next((m for m in memberships if m.organisation_id == wanted), None)
            if chosen is None and memberships:
                chosen = memberships[0]
            request.membership = chosen  # type: ignore[attr-defined]  # request attribute we own
            user.active_membership_cache = chosen
        return self.get_response(request)


MFA_EXEMPT_PREFIXES = ("/accounts/", "/healthz", "/static/", "/i18n/", "/api/", "/jsi18n/")


def has_strong_authenticator(user: object) -> bool:
    """Has ``user`` set up a TOTP app or a WebAuthn key (recovery codes alone do not count)?"""
    from allauth.mfa.models import Authenticator

    return bool(
        Authenticator.objects.filter(
            user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
        ).exists()
    )


class MFARequiredMiddleware:
    """A user whose role can open identities or evidence must set up MFA before anything else.

    Users without an authenticator are sent to allauth's MFA page (under ``/accounts/``, which is
    exempt, as are log-out and the API: the API checks the same rule in its session auth);
    allauth's login flow asks for the second factor of those who have one.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(MFA_EXEMPT_PREFIXES)
            and user.requires_mfa
            and not has_strong_authenticator(user)
        ):
            url = reverse("mfa_index")
            if request.headers.get("HX-Request") == "true":
                response = HttpResponse(status=204)
                response["HX-Redirect"] = url
                return response
            return redirect(url)
        return self.get_response(request)


class UseContextMiddleware:
    """Each request starts with no declared use of person data (``core.uses``): a view names
    its own, so nothing carries over from a previous request or a surrounding test."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from justicework.core import uses

        with uses.cleared():
            return self.get_response(request)
