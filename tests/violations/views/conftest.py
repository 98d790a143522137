"""Fixtures of the per-noun view tests: a signed-in client per cast member and URL helpers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from justicework.core.models import User

Login = Callable[[User], Client]


@pytest.fixture
def login() -> Login:
    """A fresh client signed in as ``user`` (MFA-requiring roles get an authenticator)."""

    def _login(user: User) -> Client:
        if user.requires_mfa:
            Authenticator.objects.get_or_create(
                user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
            )
        client = Client()
        client.force_login(user)
        return client

    return _login


def url(name: str, *args: Any) -> str:
    return reverse(f"violations:{name}", args=args)


def text(response: Any) -> str:
    return str(response.content.decode())
