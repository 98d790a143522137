"""Session lifetime, the active organisation, and the MFA requirement."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

Handler = Callable[[HttpRequest], HttpResponse]

ACTIVE_ORG_SESSION_KEY = "justicework_active_org"
SESSION_STARTED_KEY = "justicework_session_started"
SESSION_SEEN_KEY = "justicework_session_seen"


class SessionTimeoutMiddleware:
    """Log out after ``SESSION_IDLE_TIMEOUT`` seconds without a request, and in any case
    ``SESSION_ABSOLUTE_TIMEOUT`` seconds after login."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            started = request.session.get(SESSION_STARTED_KEY)
            seen = request.session.get(SESSION_SEEN_KEY)
            if started is None:
                request.session[SESSION_STARTED_KEY] = now
            elif now - int(started) > settings.SESSION_ABSOLUTE_TIMEOUT or (
                seen is not None and now - int(seen) > settings.SESSION_IDLE_TIMEOUT
            ):
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                return redirect(f"{reverse('account_login')}?next={request.path}")
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
            memberships = user.active_memberships()  # type: ignore[union-attr]  # our User
            wanted = request.session.get(ACTIVE_ORG_SESSION_KEY)
            chosen = next((m for m in memberships if m.organisation_id == wanted), None)
            if chosen is None and memberships:
                chosen = memberships[0]
            request.membership = chosen  # type: ignore[attr-defined]  # request attribute we own
            user.active_membership_cache = chosen  # type: ignore[union-attr]  # our User
        return self.get_response(request)


MFA_EXEMPT_PREFIXES = ("/accounts/", "/healthz", "/static/", "/i18n/", "/api/", "/jsi18n/")


class MFARequiredMiddleware:
    """A user whose role can open identities or evidence must set up MFA before anything else.

    Users without an authenticator are sent to the set-up page; allauth's login flow asks for
    the second factor of those who have one.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(MFA_EXEMPT_PREFIXES)
            and user.requires_mfa
        ):  # type: ignore[union-attr]  # our User
            from allauth.mfa.models import Authenticator

            has_mfa = Authenticator.objects.filter(
                user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
            ).exists()
            if not has_mfa:
                return redirect("mfa_index")
        return self.get_response(request)
