"""The API instance (mounted at ``/api/v1/`` in ``justicework.urls``). Domain routers come
from ``router_registry``; the OpenAPI document is ``/api/v1/openapi.json``."""

from __future__ import annotations

from justicework.api import errors, router_registry
from justicework.api.auth import SessionAuth, TokenAuth
from justicework.api.contract import JusticeWorkAPI, refuse_nul_in_query
from justicework.api.core import router as core_router
from justicework.api.throttle import ApiRateThrottle


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
    api.add_router("", core_router)
    for item in router_registry.registered():
        api.add_router(item.prefix, item.router, tags=list(item.tags) or None)
    return api


api = build_api()
