"""Every resolver route (web pages, allauth, the admin, the API's own patterns) with GET and
POST, filled with beacon's objects, as every identity of acme: see ``probe.py``. (Two files,
so that ``--dist loadfile`` shares them between workers.)"""

from __future__ import annotations

import pytest

from . import probe


@pytest.mark.parametrize("who", ["reviewer", "viewer", "loner", "anonymous", "superuser"])
def test_no_route_shows_beacon(cast, beacon_world, who, record_property):
    probe.check(cast, beacon_world, who, api=False, record=record_property)
