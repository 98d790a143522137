"""The JusticeWork REST API (django-ninja), mounted at ``/api/v1/``.

* ``auth`` — personal API tokens (``Authorization: Bearer jw_...``) and the browser session
  (CSRF-checked for unsafe methods); read tokens cannot write.
* ``errors`` — one error shape: ``{"detail": [{"loc": [..., "field"], "msg": reason}]}`` (422),
  ``{"detail": reason}`` for 401/403/404/429.
* ``pagination.CursorPagination`` — opaque, signed keyset cursors for every list.
* ``throttle`` — per token / per user / per IP rate limit (``settings.API_RATE_LIMIT``).
* ``router_registry`` — how domain apps add their routers (see that module).
"""
