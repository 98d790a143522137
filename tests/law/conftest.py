from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from justicework.core import actions
from justicework.core.models import User


@pytest.fixture
def bearer() -> Callable[..., Client]:
    """A test client that sends ``Authorization: Bearer <a token of user>``."""

    def make(user: User, scope: str = "read") -> Client:
        _token, secret = actions.create_token(
            user, name=f"{user.email} {scope}", scope=scope, expires_in_days=1
        )
        return Client(headers={"Authorization": f"Bearer {secret}"})

    return make
