"""The error answers every operation may give, declared once in the OpenAPI document.

The error bodies are made by ``errors.install``'s handlers, not by the operations, so the
operations do not list them; :class:`JusticeWorkAPI` adds them to every operation of the
document (a client, or schemathesis' ``status_code_conformance``, then knows each status code
it can get):

* every operation: 401 (no or bad credentials), 403 (the policy says no; a read token
  writing; CSRF), 429 (rate limit);
* with a path, query or body input: 404 (missing or not yours) and 422 (bad input, naming the
  field);
* with a body: 400 (not JSON) and 413 (over ``DATA_UPLOAD_MAX_MEMORY_SIZE``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, URLResolver, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Schema
from ninja.openapi.schema import OpenAPISchema

from justicework.api.types import NUL_MESSAGE

ERROR_REF = "#/components/schemas/Error"
INVALID_REF = "#/components/schemas/ValidationError"


class ErrorOut(Schema):
    detail: str


class ErrorItem(Schema):
    loc: list[str | int]
    msg: str


class ValidationErrorOut(Schema):
    detail: list[ErrorItem]


ALWAYS = {
    401: "No or bad credentials (`WWW-Authenticate: Bearer`).",
    403: "The policy says no, a read token writing, or CSRF.",
    429: "Rate limit; see `Retry-After`.",
}
WITH_INPUT = {
    404: "Missing, or not yours (never tells which).",
    422: "Bad input: each item names the field (`loc`) and the reason (`msg`).",
}
WITH_BODY = {
    400: "The body is not JSON.",
    413: "The body is larger than the limit.",
}
METHODS = {"get", "put", "post", "patch", "delete", "head", "options"}


def _response(status: int, description: str) -> dict[str, Any]:
    ref = INVALID_REF if status == 422 else ERROR_REF
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": ref}}},
    }


def declare_errors(document: dict[str, Any]) -> dict[str, Any]:
    """Add the error answers to every operation of ``document`` (in place; also returned)."""
    components = document.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ErrorOut.model_json_schema()
    invalid = ValidationErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(invalid.pop("$defs", {}))
    components["ValidationError"] = invalid
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            codes = dict(ALWAYS)
            has_body = "requestBody" in operation
            if operation.get("parameters") or has_body or "{" in path:
                codes.update(WITH_INPUT)
            if has_body:
                codes.update(WITH_BODY)
            responses = operation.setdefault("responses", {})
            for status, description in codes.items():
                responses.setdefault(status, _response(status, description))
    return document


def refuse_nul_in_query(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A view decorator (before validation): a query parameter holding NUL is a 422 naming it."""

    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        bad = sorted(
            {key for key, values in request.GET.lists() for v in [key, *values] if "\x00" in v}
        )
        if bad:
            detail = [{"loc": ["query", key], "msg": NUL_MESSAGE} for key in bad]
            return JsonResponse({"detail": detail}, status=422)
        return view(request, *args, **kwargs)

    return checked


@csrf_exempt  # answers nothing but 404: no state to protect, and no HTML 403 under /api/
def not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    """Any other path under the API: a JSON 404 (not the HTML page of the web UI)."""
    return JsonResponse({"detail": _("Not found.")}, status=404)


class JusticeWorkAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document declares the error answers of every operation, and whose
    unknown paths answer JSON."""

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        urls = list(super()._get_urls())
        urls.append(re_path(r"^(?P<rest>.*)$", not_found))
        return urls

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        declare_errors(document)
        return document
