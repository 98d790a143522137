"""Fixtures for the calls tests: a draft call of acme's programme, the bearer client, a fresh
rate-limit budget (allauth's counters live in the cache)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from justicework.core import actions
from justicework.core.models import User
from justicework.grants.models import Call, Programme
from tests.grants.conftest import make_call


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def draft_call(programme: Programme) -> Call:
    return make_call(programme, status=Call.Status.DRAFT)


def call_fields(**overrides: Any) -> dict[str, Any]:
    """What a programme officer gives for a new call (valid)."""
    now = timezone.now()
    values: dict[str, Any] = {
        "title": {"en": "Documentation by local groups", "ar": "التوثيق من قبل المجموعات المحلية"},
        "text": {"en": "We support documentation of violations."},
        "activity_types": [{"code": "documentation", "title": {"en": "Documentation"}}],
        "recipient_categories": ["local_cso", "women_led"],
        "countries": ["UA", "GE"],
        "legal_forms": ["ngo", "association"],
        "budget": Decimal("300000"),
        "amount_min": Decimal("5000"),
        "amount_max": Decimal("50000"),
        "amount_method": Call.AmountMethod.LUMP_SUM,
        "opens_at": now + timedelta(days=1),
        "closes_at": now + timedelta(days=40),
        "time_zone": "Europe/Kyiv",
    }
    values.update(overrides)
    return values


@pytest.fixture
def bearer() -> Callable[..., Client]:
    def make(user: User, scope: str = "write") -> Client:
        _token, secret = actions.create_token(
            user, name=f"{user.email} {scope}", scope=scope, expires_in_days=1
        )
        return Client(headers={"Authorization": f"Bearer {secret}"})

    return make
