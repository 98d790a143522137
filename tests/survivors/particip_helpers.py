"""Helpers shared by the participation, information and survivor page tests."""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.test import Client

from justicework.core import actions as core_actions
from justicework.core.models import User


def login_with(client: Client) -> Callable[[User], Client]:
    """A function signing ``client`` in as a user (with a TOTP device where MFA is needed)."""

    def _login(user: User) -> Client:
        if user.requires_mfa:
            Authenticator.objects.get_or_create(
                user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
            )
        client.force_login(user)
        return client

    return _login


def bearer_client(user: User) -> Client:
    """An API client with a fresh write token of ``user``."""
    _token, secret = core_actions.create_token(
        user, name=user.email, scope="write", expires_in_days=30
    )
    return Client(headers={"Authorization": f"Bearer {secret}"})
