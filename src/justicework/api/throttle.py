"""Rate limits for the API, kept in the Django cache.

One budget of ``settings.API_RATE_LIMIT`` (e.g. ``600/m``) per token, per signed-in user using
the session, and per client IP for requests whose credentials fail. Over the limit: 429 with
``Retry-After``. The counter is a sliding window of timestamps (django-ninja's
``SimpleRateThrottle``); with several web processes use Redis so they share it.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import Throttled
from ninja.throttling import SimpleRateThrottle

from justicework.core.models import ApiToken


class ApiRateThrottle(SimpleRateThrottle):
    scope = "justicework"

    def __init__(self) -> None:
        # The rate is read on every request so settings overrides (tests) take effect.
        super().__init__(rate=settings.API_RATE_LIMIT)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        auth = getattr(request, "auth", None)
        if isinstance(auth, ApiToken):
            ident = f"token:{auth.pk}"
        elif auth is not None and getattr(auth, "pk", None) is not None:
            ident = f"user:{auth.pk}"
        else:
            ident = f"ip:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def get_ident(self, request: HttpRequest) -> str | None:
        """The client IP as allauth's lock-out sees it (``JUSTICEWORK_TRUSTED_PROXY_COUNT``),
        not django-ninja's default, which trusts any X-Forwarded-For a client sends."""
        from allauth.account.adapter import get_adapter

        return str(get_adapter().get_client_ip(request))

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = settings.API_RATE_LIMIT
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


def charge_ip(request: HttpRequest) -> None:
    """Count a request with bad credentials against its IP; raise 429 when over the limit."""
    throttle = ApiRateThrottle()
    if not throttle.allow_request(request):
        wait = throttle.wait()
        raise Throttled(wait=math.ceil(wait) if wait is not None else None)
