"""The API instance (mounted at ``/api/v1/`` in ``justicework.urls``). Domain routers come
from ``router_registry``; the OpenAPI document is ``/api/v1/openapi.json``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ninja import Router

from justicework.api import errors, router_registry
from justicework.api.auth import SessionAuth, TokenAuth
from justicework.api.contract import JusticeWorkAPI, refuse_nul_in_query
from justicework.api.core import router as core_router
from justicework.api.throttle import ApiRateThrottle
from justicework.core import uses

#: The key of an operation's declared use in the OpenAPI document (read by the coverage test).
USE_KEY = "x-justicework-use"


def declare_uses(router: Router, default: str) -> None:
    """Each operation of ``router`` runs under its declared use (its own ``@declares``, else
    ``default``), its response included (a schema may resolve links while it serialises), and
    shows it in the OpenAPI document; one with neither shows none (the coverage test fails)."""
    if getattr(router, "uses_declared", False):
        return
    for path_view in router.path_operations.values():
        for operation in path_view.operations:
            name = getattr(operation.view_func, "declared_use", None) or default
            if name:
                operation.openapi_extra = {**(operation.openapi_extra or {}), USE_KEY: name}

    def under_use(run: Callable[..., Any]) -> Callable[..., Any]:
        # ninja applies "view" decorators to each bound operation's ``run``
        operation = getattr(run, "__self__", None)
        name = getattr(getattr(operation, "view_func", None), "declared_use", None) or default
        return uses.applied(run, name) if name else run

    router.add_decorator(under_use, mode="view")
    router.uses_declared = True  # type: ignore[attr-defined]  # once per router


def build_api() -> JusticeWorkAPI:
    api = JusticeWorkAPI(
        title="JusticeWork API",
        version="1",
        description=(
            "Authenticate with a personal token (`Authorization: Bearer jw_…`, created under "
            "My account → API tokens) or the browser session with the `X-CSRFToken` header. "
            "Read tokens can only read. Lists are cursor-paginated (`cursor`, `limit`). "
            'Errors: `{"detail": [{"loc": [...], "msg": ...}]}` (422) or '
            '`{"detail": reason}`.'
        ),
        urls_namespace="api-v1",
        auth=[TokenAuth(), SessionAuth()],
        throttle=[ApiRateThrottle()],
        # No Swagger page: it would load its assets from a CDN unless "ninja" were an app.
        docs_url=None,
    )
    errors.install(api)
    api.add_decorator(refuse_nul_in_query, mode="view")
    declare_uses(core_router, uses.NO_PERSON_DATA.name)
    api.add_router("", core_router)
    for item in router_registry.registered():
        declare_uses(item.router, item.use)
        api.add_router(item.prefix, item.router, tags=list(item.tags) or None)
    return api


api = build_api()
