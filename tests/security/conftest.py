from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from django.core.cache import cache

from .beacon import Beacon, build_beacon


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    """Rate-limit counters live in the cache: every identity starts with a fresh budget."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def beacon_world(cast: SimpleNamespace) -> Beacon:
    return build_beacon(cast)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Sum the figures the route matrix recorded (``record_property``; xdist passes them on),
    per matrix (web routes, API operations)."""
    totals: dict[str, list[int]] = {}
    reports = terminalreporter.stats.get("passed", []) + terminalreporter.stats.get("failed", [])
    for report in reports:
        props = dict(getattr(report, "user_properties", []))
        if getattr(report, "when", "") != "call" or "probe_matrix" not in props:
            continue
        row = totals.setdefault(str(props["probe_matrix"]), [0, 0, 0, 0])
        row[0] += 1
        for i, key in enumerate(["probe_requests", "probe_pairs", "probe_failures"], 1):
            row[i] += int(props[key])
    for matrix, (identities, requests, pairs, failures) in sorted(totals.items()):
        terminalreporter.write_line(
            f"route matrix ({matrix}): {requests} requests over {pairs} (URL, identity) pairs "
            f"as {identities} identities, {failures} failure(s)"
        )
