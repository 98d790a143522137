"""Search backends; ``settings.SEARCH_BACKEND`` names the class for the database engine."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from justicework.search.backends.base import SearchBackend


@cache
def get_backend(path: str | None = None) -> SearchBackend:
    backend_class = import_string(path or settings.SEARCH_BACKEND)
    backend: SearchBackend = backend_class()
    return backend
