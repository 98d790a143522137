"""Audit entries for logins, failed logins and failed second factors.

Logins happen inside Django and allauth, not in our actions, so these are the one place where
signal receivers write audit entries (connected in ``CoreConfig.ready``). Nothing here records
a password or a code. A failed login records only a blind index (keyed HMAC) of the identifier
that was typed: an admin who suspects an attack on an account can compute the same index and
find the entries, but the log never holds an e-mail address someone typed by mistake.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest

from justicework.audit.chain import record
from justicework.core.actors import Actor
from justicework.core.middleware import SESSION_SEEN_KEY, SESSION_STARTED_KEY
from justicework.encryption.fields import blind_index

if TYPE_CHECKING:
    from justicework.core.models import User


#: Namespace of the blind index of login identifiers (see ``encryption.fields.blind_index``).
LOGIN_IDENTIFIER_KIND = "login_identifier"


def identifier_index(identifier: str) -> str:
    return blind_index(identifier.strip().lower(), LOGIN_IDENTIFIER_KIND)


def on_logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SESSION_STARTED_KEY] = now
        request.session[SESSION_SEEN_KEY] = now
    record(user, "core.user.logged_in", user)


def on_logged_out(sender: Any, request: HttpRequest | None, user: Actor, **kwargs: Any) -> None:
    if user is not None and getattr(user, "is_authenticated", False):
        record(user, "core.user.logged_out", user)


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # ``credentials`` has the password already masked by Django; we read only the identifier.
    identifier = str(credentials.get("email") or credentials.get("username") or "")
    record(
        AnonymousUser(),
        "core.user.login_failed",
        object_type="core.user",
        diff={"identifier_index": identifier_index(identifier) if identifier else ""},
    )


def on_mfa_failed(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    authenticator = kwargs.get("authenticator")
    record(
        user,
        "core.user.mfa_failed",
        user,
        diff={"type": getattr(authenticator, "type", "")},
    )


def connect() -> None:
    from allauth.mfa.signals import authentication_failed

    user_logged_in.connect(on_logged_in, dispatch_uid="justicework.audit.logged_in")
    user_logged_out.connect(on_logged_out, dispatch_uid="justicework.audit.logged_out")
    user_login_failed.connect(on_login_failed, dispatch_uid="justicework.audit.login_failed")
    authentication_failed.connect(on_mfa_failed, dispatch_uid="justicework.audit.mfa_failed")
