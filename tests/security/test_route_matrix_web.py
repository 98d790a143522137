"""Every resolver route (web pages, allauth, the admin, the API's own patterns) with GET and
POST, filled with beacon's objects, as every identity of acme: see ``probe.py``."""

from __future__ import annotations

import pytest

from . import probe

WEB = [name for name in probe.IDENTITY_NAMES if name not in {"read_token", "write_token"}]


@pytest.mark.parametrize("who", WEB)
def test_no_route_shows_beacon(cast, beacon_world, who, record_property):
    identity = probe.identities(cast)[who]()
    report = probe.run(identity, beacon_world, probe.all_routes(beacon_world, api=False))
    record_property("probe_requests", report.requests)
    record_property("probe_pairs", len(report.pairs))
    record_property("probe_failures", len(report.failures))
    assert not report.failures, report.text()
