"""is_future agrees with ``value > timezone.localdate()`` in every time zone."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from justicework.core import dates


@pytest.mark.parametrize(
    "zone", ["UTC", "Pacific/Kiritimati", "Etc/GMT+12", "America/Los_Angeles", "Asia/Kolkata"]
)
@pytest.mark.parametrize("hour", [0, 5, 11, 12, 13, 23])
def test_is_future_is_localdate_comparison(monkeypatch, zone, hour):
    now = dt.datetime(2026, 11, 24, hour, 30, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: now)
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        today = timezone.localdate()
        for days in range(-3, 4):
            value = today + dt.timedelta(days=days)
            assert dates.is_future(value) is (value > today), (zone, hour, days)
