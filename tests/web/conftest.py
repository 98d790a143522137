from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from justicework.core.models import User


@pytest.fixture
def login(client: Client) -> Callable[[User], Client]:
    """Sign a cast member in; MFA-requiring roles get a TOTP authenticator so the
    MFA-set-up redirect does not hide the page under test."""

    def _login(user: User) -> Client:
        if user.requires_mfa:
            from allauth.mfa.models import Authenticator

            Authenticator.objects.get_or_create(
                user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
            )
        client.force_login(user)
        return client

    return _login
