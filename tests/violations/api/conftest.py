"""Fixtures of the per-noun API tests: a bearer-token client per cast member and JSON helpers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from justicework.core import actions as core_actions
from justicework.core.models import User

Api = Callable[..., Client]
JSON = "application/json"


@pytest.fixture
def api(cast: Any) -> Api:
    """A client carrying a fresh token of ``user`` (``scope`` "read" or "write")."""

    def make(user: User, scope: str = "write") -> Client:
        _token, secret = core_actions.create_token(user, name="t", scope=scope, expires_in_days=30)
        return Client(headers={"Authorization": f"Bearer {secret}"})

    return make


def post(client: Client, url: str, data: object) -> Any:
    return client.post(url, data, content_type=JSON)


def patch(client: Client, url: str, data: object) -> Any:
    return client.patch(url, data, content_type=JSON)


def locs(response: Any) -> list[Any]:
    """The ``loc`` of every error of a 422 answer."""
    return [item["loc"] for item in response.json()["detail"]]
