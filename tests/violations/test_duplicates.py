"""The duplicate check's budget per user (a fixed window in the cache) and its look-up of no
values at all."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.core.cache import cache
from hypothesis import given
from hypothesis import strategies as st

from justicework.violations import duplicates

pytestmark = pytest.mark.django_db

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@given(
    count=st.integers(min_value=1, max_value=10**6),
    unit=st.sampled_from(["s", "sec", "m", "min", "minute", "h", "hour", "d", "day", "H", "Min"]),
)
def test_a_rate_reads_as_a_count_per_period_in_seconds(count: int, unit: str) -> None:
    assert duplicates._parse_rate(f"{count}/{unit}") == (count, UNITS[unit[0].lower()])


def test_the_budget_is_per_user_and_says_how_long_to_wait(
    cast: SimpleNamespace, settings: Any
) -> None:
    settings.DUPLICATE_CHECK_RATE_LIMIT = "3/m"
    for _ in range(3):
        duplicates.charge(cast.documenter)
    with pytest.raises(duplicates.RateLimited) as refused:
        duplicates.charge(cast.documenter)
    assert 1 <= refused.value.wait <= 60
    assert str(refused.value.wait) in str(refused.value)
    duplicates.charge(cast.analyst)  # another user's budget is untouched


def test_a_window_that_expires_between_add_and_incr_starts_again_at_one(
    cast: SimpleNamespace, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.DUPLICATE_CHECK_RATE_LIMIT = "2/h"
    real_incr = cache.incr
    calls: list[str] = []

    def incr_once_expired(key: str, delta: int = 1) -> int:
        if not calls:
            calls.append(key)
            cache.delete(key)
            raise ValueError(key)
        return int(real_incr(key, delta))

    monkeypatch.setattr(cache, "incr", incr_once_expired)
    duplicates.charge(cast.documenter)  # counted as the first of the window
    duplicates.charge(cast.documenter)
    with pytest.raises(duplicates.RateLimited):
        duplicates.charge(cast.documenter)


def test_no_values_match_no_one_without_a_query(
    cast: SimpleNamespace, django_assert_num_queries: object
) -> None:
    with django_assert_num_queries(0):  # type: ignore[operator]
        assert duplicates.match(cast.acme, set()) == {}
