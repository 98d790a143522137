from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    """allauth's lock-out counters live in the cache; every test starts clean."""
    cache.clear()
    yield
    cache.clear()
