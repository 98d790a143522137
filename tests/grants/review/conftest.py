"""Fixtures for the review tests: a second programme officer and a second reviewer of Acme,
applications in review, and helpers to sign in and to call the API."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from justicework.core import actions
from justicework.core.models import Organisation, User
from justicework.core.roles import Role
from justicework.grants.actions_review import conflicts
from justicework.grants.models import Application, Call
from justicework.grants.models.review import Assignment
from tests.conftest import make_user
from tests.grants.conftest import make_application


def member(org: Organisation, email: str, role: Role) -> User:
    user = make_user(email)
    actions.add_member(None, org, user, role)
    user.forget_memberships()
    return user


@pytest.fixture
def officer2(acme: Organisation) -> User:
    return member(acme, "officer2@acme.test", Role.PROGRAMME_OFFICER)


@pytest.fixture
def reviewer2(acme: Organisation) -> User:
    return member(acme, "reviewer2@acme.test", Role.REVIEWER)


@pytest.fixture
def beacon_officer(beacon: Organisation) -> User:
    return member(beacon, "officer@beacon.test", Role.PROGRAMME_OFFICER)


@pytest.fixture
def in_review(open_call: Call, applicant: SimpleNamespace) -> Application:
    return make_application(
        open_call,
        applicant.entity,
        status=Application.Status.IN_REVIEW,
        answers={"summary": "Documentation of detention sites.", "staff": 4},
    )


@pytest.fixture
def assigned(in_review: Application, reviewer: User) -> Assignment:
    """The cast's reviewer, assigned to ``in_review``, declared for the call (no conflict)."""
    conflicts.declare_for_call(reviewer, in_review.call, [])
    return Assignment.objects.create(call=in_review.call, application=in_review, reviewer=reviewer)


@pytest.fixture
def login(client: Client) -> Callable[[User], Client]:
    def _login(user: User) -> Client:
        if user.requires_mfa:  # roles that open identities sign in with a second factor
            from allauth.mfa.models import Authenticator

            Authenticator.objects.get_or_create(
                user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
            )
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def bearer() -> Callable[..., Client]:
    def make(user: User) -> Client:
        _token, secret = actions.create_token(
            user, name=f"{user.email}", scope="write", expires_in_days=30
        )
        return Client(headers={"Authorization": f"Bearer {secret}"})

    return make


def scores_for(
    call: Call, value: int = 7, comment: str = "Clear and well argued."
) -> dict[int, Any]:
    from justicework.grants.actions_review.scoring import scored_criteria

    return {c.pk: (min(value, c.max_score), comment) for c in scored_criteria(call.pk)}
