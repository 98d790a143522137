from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.core.cache import cache
from django.test import Client

from justicework.core import actions
from justicework.core.models import User


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    """Rate-limit counters live in the cache; every test starts with a fresh budget."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def token_for() -> Callable[..., str]:
    def make(user: User, scope: str = "write", days: int = 30) -> str:
        _token, secret = actions.create_token(
            user, name=f"{user.email} {scope}", scope=scope, expires_in_days=days
        )
        return secret

    return make


@pytest.fixture
def bearer(token_for: Callable[..., str]) -> Callable[..., Client]:
    """A test client that sends ``Authorization: Bearer <token of user>``."""

    def make(user: User, scope: str = "write") -> Client:
        return Client(headers={"Authorization": f"Bearer {token_for(user, scope)}"})

    return make
