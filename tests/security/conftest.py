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
    """Sum the figures the route matrix recorded (``record_property``; xdist passes them on)."""
    requests = pairs = failures = 0
    for report in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get(
        "failed", []
    ):
        if report.when != "call":
            continue
        props = dict(report.user_properties)
        requests += int(props.get("probe_requests", 0))
        pairs += int(props.get("probe_pairs", 0))
        failures += int(props.get("probe_failures", 0))
    if requests:
        terminalreporter.write_line(
            f"route matrix: {requests} requests over {pairs} (URL, identity) pairs, "
            f"{failures} failure(s)"
        )
