"""The policy narrows whoever asks to a signed-in, active ``User`` before a rule runs: rules are
written for a ``User`` (``policy.Rule``), and nobody, anonymous visitors and deactivated users
are refused without their rule being asked."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.db.models import QuerySet

from justicework.core import policy
from justicework.core.models import User


class Recording:
    def __init__(self) -> None:
        self.users: list[Any] = []

    def can(self, user: User, action: str, obj: Any) -> policy.Decision:
        self.users.append(user)
        return policy.ALLOW

    def visible(self, user: User, action: str, queryset: QuerySet[Any]) -> QuerySet[Any]:
        self.users.append(user)
        return queryset


@pytest.fixture
def rule() -> Iterator[Recording]:
    recording = Recording()
    policy.register(Permission, recording)
    yield recording
    policy._RULES.pop(Permission, None)


@pytest.mark.django_db
def test_rules_are_asked_only_about_signed_in_active_users(cast: Any, rule: Recording) -> None:
    inactive = User.objects.create_user(email="gone@example.org", password="x", is_active=False)
    for nobody in (None, AnonymousUser(), inactive):
        assert policy.can(nobody, "view", Permission) == policy.NOT_SIGNED_IN
        assert not policy.visible(nobody, Permission).exists()
    assert rule.users == []
    assert policy.can(cast.documenter, "view", Permission)
    policy.visible(cast.documenter, Permission)
    assert rule.users == [cast.documenter, cast.documenter]
    assert all(type(user) is User for user in rule.users)
