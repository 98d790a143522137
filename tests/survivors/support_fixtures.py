"""Fixtures of the support tests (imported by ``test_support_*``): a signed-in client, an API
client, providers, a survivor with consent to be referred."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from justicework.core import actions as core_actions
from justicework.core.models import Organisation, User
from justicework.survivors import actions
from justicework.survivors.models import ServiceProvider


@pytest.fixture
def login(client: Client) -> Callable[[User], Client]:
    def _login(user: User) -> Client:
        if user.requires_mfa:
            Authenticator.objects.get_or_create(
                user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
            )
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def bearer() -> Callable[[User], Client]:
    def make(user: User) -> Client:
        _token, secret = core_actions.create_token(
            user, name=user.email, scope="write", expires_in_days=30
        )
        return Client(headers={"Authorization": f"Bearer {secret}"})

    return make


def provider_data(**fields: Any) -> actions.ProviderData:
    fields.setdefault("name", "Clinic Nadiya")
    fields.setdefault("kind", "medical")
    fields.setdefault("country", "UA")
    fields.setdefault("languages", ["uk", "ru"])
    return actions.ProviderData(**fields)


def make_provider(actor: User, organisation: Organisation, **fields: Any) -> ServiceProvider:
    return actions.create_provider(actor, organisation, provider_data(**fields))


@pytest.fixture
def clinic(coordinator: User, acme: Organisation) -> ServiceProvider:
    return make_provider(coordinator, acme, area="Kharkiv oblast", contact="+380 00 000 0000")
