"""Fixtures of the money part: an award of the cast's programme (Acme) to an applicant, with
a budget of two lines; a programme officer of another organisation (Beacon)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.test import Client

from justicework.core import actions
from justicework.core.models import Organisation, User
from justicework.core.roles import Role
from justicework.grants.models import Award, BudgetLine, Call, LegalEntity
from tests.conftest import make_user
from tests.grants.conftest import make_application


def make_award(
    call: Call, entity: LegalEntity, amount: str = "40000", language: str = "en"
) -> Award:
    application = make_application(call, entity, language=language, status="awarded")
    for order, (activity, category, value) in enumerate(
        [("documentation", "staff", "30000"), ("psychosocial", "events", "10000")]
    ):
        BudgetLine.objects.create(
            application=application, order=order, activity_type=activity,
            cost_category=category, amount=Decimal(value),
        )  # fmt: skip
    return Award.objects.create(
        application=application, call=call, programme=call.programme, legal_entity=entity,
        amount=Decimal(amount), currency=call.currency, amount_programme=Decimal(amount),
        purpose="Documentation of attacks on civilians and support to survivors",
    )  # fmt: skip


@pytest.fixture
def award(open_call: Call, applicant: SimpleNamespace) -> Award:
    return make_award(open_call, applicant.entity)


@pytest.fixture
def beacon_officer(beacon: Organisation) -> User:
    user = make_user("officer@beacon.test")
    actions.add_member(None, beacon, user, Role.PROGRAMME_OFFICER)
    user.forget_memberships()
    return user


@pytest.fixture
def login(client: Client) -> Callable[[User], Client]:
    """Sign a user in (an MFA-requiring role gets a TOTP authenticator first)."""

    def _login(user: User) -> Client:
        if user.requires_mfa:
            from allauth.mfa.models import Authenticator

            Authenticator.objects.get_or_create(
                user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
            )
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def bearer() -> Callable[[User], Client]:
    def make(user: User) -> Client:
        _token, secret = actions.create_token(
            user, name=f"{user.email} write", scope="write", expires_in_days=30
        )
        return Client(headers={"Authorization": f"Bearer {secret}"})

    return make
