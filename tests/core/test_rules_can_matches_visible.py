"""For every core rule, the answer about one object and the list agree: for each person of the
cast, an organisation, membership, user or token is in ``policy.visible(user, Model, action)``
exactly when ``policy.can(user, action, obj)`` allows it. A list that shows what a detail page
refuses (or hides what it allows) is the bug this catches."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from justicework.core import actions, policy
from justicework.core.models import ApiToken, Membership, Organisation, User
from tests.conftest import make_org

PEOPLE = [
    "admin",
    "analyst",
    "documenter",
    "viewer",
    "outsider",
    "beacon_admin",
    "loner",
    "superuser",
]


@pytest.fixture
def world(cast: SimpleNamespace) -> SimpleNamespace:
    """The cast plus an inactive organisation with a member, and a token per person."""
    closed = make_org("Closed Centre")
    actions.add_member(None, closed, cast.documenter, "documenter")
    Organisation.objects.filter(pk=closed.pk).update(is_active=False)
    for name in PEOPLE:
        user = getattr(cast, name)
        actions.create_token(user, name=f"{name} token", scope="read", expires_in_days=5)
        user.forget_memberships()
    return cast


def disagreements(cast: SimpleNamespace, model: type, action: str) -> list[str]:
    found = []
    objects = list(model._default_manager.all())
    for name in PEOPLE:
        user = getattr(cast, name)
        listed = set(policy.visible(user, model, action).values_list("pk", flat=True))
        for obj in objects:
            allowed = bool(policy.can(user, action, obj))
            if allowed != (obj.pk in listed):
                found.append(f"{name} {action} {obj!r}: can={allowed} listed={obj.pk in listed}")
    return found


@pytest.mark.parametrize(
    "model, action",
    [
        (Organisation, "view_members"),
        (Organisation, "manage"),
        (Organisation, "manage_members"),
        (Organisation, "view_audit"),
        (Membership, "view"),
        (Membership, "manage"),
        (User, "view"),
        (User, "manage_self"),
        (ApiToken, "view"),
        (ApiToken, "revoke"),
    ],
)
def test_can_and_visible_agree_for_everyone_in_the_cast(
    world: SimpleNamespace, model: type, action: str
) -> None:
    assert disagreements(world, model, action) == []


def test_an_unknown_action_is_neither_allowed_nor_listed(world: SimpleNamespace) -> None:
    for model in (Membership, User, ApiToken):
        for name in PEOPLE:
            user = getattr(world, name)
            assert not policy.visible(user, model, "teleport").exists(), (model, name)
            obj = model._default_manager.first()
            assert not policy.can(user, "teleport", obj), (model, name)
