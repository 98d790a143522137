"""Every operation of every OpenAPI document, with its declared method and a small valid body,
filled with beacon's objects, as every identity of acme and acme's tokens: see ``probe.py``."""

from __future__ import annotations

import pytest

from . import probe

ALL = probe.IDENTITY_NAMES


@pytest.mark.parametrize("who", ALL)
def test_no_api_operation_shows_beacon(cast, beacon_world, who, record_property):
    probe.check(cast, beacon_world, who, api=True, record=record_property)
