"""Fixtures of the notices tests: a second member of the applicant organisation (reading
French), another applicant to the same call, a second programme officer of Acme, and a
signed-in client."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.core import mail
from django.test import Client

from justicework.core.models import User
from justicework.core.roles import Role
from justicework.grants.models import Application, Call
from tests.grants.conftest import make_application
from tests.grants.review.conftest import member


@pytest.fixture
def colleague(applicant: SimpleNamespace) -> User:
    user = member(applicant.org, f"colleague@{applicant.org.slug}.test", Role.GRANTEE)
    user.preferred_language = "fr"
    user.save(update_fields=["preferred_language"])
    return user


@pytest.fixture
def officer2(acme) -> User:  # type: ignore[no-untyped-def]
    return member(acme, "officer2@acme.test", Role.PROGRAMME_OFFICER)


@pytest.fixture
def rival(open_call: Call, other_applicant: SimpleNamespace) -> Application:
    """Another applicant's application in review in the same call: never told of ours."""
    return make_application(open_call, other_applicant.entity, status="in_review")


@pytest.fixture
def login(client: Client) -> Callable[[User], Client]:
    def _login(user: User) -> Client:
        client.force_login(user)
        return client

    return _login


def mailed_to() -> list[str]:
    """Every address mailed, one entry per message (a repeat shows as a repeat)."""
    return sorted(address for message in mail.outbox for address in message.to)
