"""One error shape for the whole API; bad input is 422 naming the field, never a 500."""

from __future__ import annotations

import math
from typing import Any

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    PermissionDenied,
    RequestDataTooBig,
    ValidationError,
)
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, Throttled
from ninja.errors import ValidationError as NinjaValidationError


def django_validation_detail(exc: ValidationError, where: str = "body") -> list[dict[str, Any]]:
    """``[{"loc": [where, field], "msg": reason}, ...]`` for a Django ``ValidationError``."""
    detail: list[dict[str, Any]] = []
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            loc = [where] if field == NON_FIELD_ERRORS else [where, field]
            detail.extend({"loc": loc, "msg": str(message)} for message in errors)
    else:
        detail.extend({"loc": [where], "msg": str(message)} for message in exc.messages)
    return detail


def install(api: NinjaAPI) -> None:
    @api.exception_handler(NinjaValidationError)
    def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        detail = [
            {"loc": list(error.get("loc", [])), "msg": str(error.get("msg", ""))}
            for error in exc.errors
        ]
        return api.create_response(request, {"detail": detail}, status=422)

    @api.exception_handler(ValidationError)
    def _django_invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return api.create_response(request, {"detail": django_validation_detail(exc)}, status=422)

    @api.exception_handler(PermissionDenied)
    def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        reason = str(exc) or _("You are not allowed to do this.")
        return api.create_response(request, {"detail": reason}, status=403)

    @api.exception_handler(Http404)
    def _missing(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, {"detail": _("Not found.")}, status=404)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = api.create_response(
            request,
            {"detail": _("Sign in, or send a valid token: Authorization: Bearer jw_…")},
            status=401,
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(RequestDataTooBig)
    def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return api.create_response(
            request,
            {"detail": _("The request body is larger than the limit.")},
            status=413,
        )

    @api.exception_handler(Throttled)
    def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        response = api.create_response(
            request, {"detail": _("Too many requests. Try again later.")}, status=429
        )
        if exc.wait is not None:
            response["Retry-After"] = str(max(1, math.ceil(exc.wait)))
        return response
