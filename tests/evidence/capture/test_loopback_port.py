"""``hosts.loopback_port_allowed``: one loopback port, in one block of one thread; every other
address, port and thread stays under the SSRF rules."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from justicework.evidence.capture import hosts


@pytest.fixture(autouse=True)
def _closed(settings: Any) -> None:
    settings.EVIDENCE_CAPTURE_ALLOW_LOOPBACK = False


def refusal(url: str) -> str:
    with pytest.raises(hosts.Refused) as caught:
        hosts.check(url)
    return caught.value.message


def test_the_port_opens_inside_the_block_only() -> None:
    assert "a loopback address" in refusal("http://127.0.0.1:8765/")
    with hosts.loopback_port_allowed(8765):
        target = hosts.check("http://127.0.0.1:8765/page")
        assert (target.address, target.port, target.path) == ("127.0.0.1", 8765, "/page")
        assert hosts.check("http://[::1]:8765/").address == "::1"
    assert "a loopback address" in refusal("http://127.0.0.1:8765/")


def test_nothing_else_opens_with_it() -> None:
    with hosts.loopback_port_allowed(8765):
        assert "a loopback address" in refusal("http://127.0.0.1:8766/")
        assert "a loopback address" in refusal("http://127.0.0.1/")
        assert "it embeds 127.0.0.1" in refusal("http://[::ffff:127.0.0.1]:8765/")
        assert "a private address" in refusal("http://10.0.0.1:8765/")
        assert "a link-local address" in refusal("http://169.254.169.254:8765/")


def test_another_thread_is_not_let_through() -> None:
    seen: list[str] = []

    def other() -> None:
        try:
            hosts.check("http://127.0.0.1:8765/")
            seen.append("fetched")
        except hosts.Refused as exc:
            seen.append(exc.message)

    with hosts.loopback_port_allowed(8765):
        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
    assert len(seen) == 1 and "a loopback address" in seen[0]


def test_the_port_closes_when_the_block_raises() -> None:
    with pytest.raises(RuntimeError), hosts.loopback_port_allowed(8765):
        raise RuntimeError("capture failed")
    assert "a loopback address" in refusal("http://127.0.0.1:8765/")
