"""The SSRF rules: which addresses may be fetched, each refusal naming why."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from justicework.evidence.capture import hosts


def refusal(url: str) -> str:
    with pytest.raises(hosts.Refused) as caught:
        hosts.check(url)
    return caught.value.message


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://10.1.2.3/", "a private address"),
        ("http://192.168.1.1/", "a private address"),
        ("http://172.16.0.5/", "a private address"),
        ("http://169.254.169.254/latest/meta-data/", "a link-local address"),
        ("http://[fe80::1]/", "a link-local address"),
        ("http://224.0.0.1/", "a multicast address"),
        ("http://0.0.0.0/", "the unspecified address"),
        ("http://100.64.0.1/", "shared (carrier-grade NAT)"),
        ("http://240.0.0.1/", "a reserved address"),
        ("http://[fc00::1]/", "a private address"),
        ("http://[::ffff:10.0.0.1]/", "it embeds 10.0.0.1, a private address"),
        ("http://[::ffff:127.0.0.1]/", "it embeds 127.0.0.1, a loopback address"),
        ("http://[64:ff9b::a00:1]/", "it embeds 10.0.0.1"),
        ("http://[2002:c0a8:101::1]/", "it embeds 192.168.1.1"),
    ],
)
def test_non_public_addresses_are_refused(url: str, reason: str, settings: Any) -> None:
    settings.EVIDENCE_CAPTURE_ALLOW_LOOPBACK = False
    assert reason in refusal(url)


def test_loopback_is_refused_unless_the_setting_allows_it(settings: Any) -> None:
    settings.EVIDENCE_CAPTURE_ALLOW_LOOPBACK = False
    assert "a loopback address" in refusal("http://127.0.0.1:8000/")
    assert "a loopback address" in refusal("http://[::1]/")
    settings.EVIDENCE_CAPTURE_ALLOW_LOOPBACK = True
    assert hosts.check("http://127.0.0.1:8000/x?y=1").path == "/x?y=1"
    # the loopback setting lets loopback through, not private addresses
    assert "a private address" in refusal("http://10.0.0.1/")


def test_loopback_is_off_by_default() -> None:
    from justicework import settings as production

    assert production.EVIDENCE_CAPTURE_ALLOW_LOOPBACK is False


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.org/file", "Only http:// and https://"),
        ("file:///etc/passwd", "Only http:// and https://"),
        ("gopher://127.0.0.1/", "Only http:// and https://"),
        ("http:///nohost", "no host"),
        ("http://user:secret@127.0.0.1/", "user name or password"),
        ("http://127.0.0.1:notaport/", "not a valid address"),
    ],
)
def test_other_schemes_and_malformed_addresses_are_refused(url: str, reason: str) -> None:
    assert reason in refusal(url)


def test_a_name_resolving_to_a_private_address_is_refused(monkeypatch: Any) -> None:
    def resolve(host: str, port: int, **kwargs: Any) -> list[Any]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.9.8.7", port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    message = refusal("http://intranet.example.org/")
    assert "intranet.example.org resolves to 10.9.8.7" in message
    assert "a private address" in message


def test_any_private_answer_among_several_refuses(monkeypatch: Any) -> None:
    def resolve(host: str, port: int, **kwargs: Any) -> list[Any]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("192.168.0.2", port))]  # fmt: skip

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    assert "192.168.0.2" in refusal("http://mixed.example.org/")


def test_the_checked_address_is_the_one_resolved_once(monkeypatch: Any) -> None:
    calls: list[str] = []

    def resolve(host: str, port: int, **kwargs: Any) -> list[Any]:
        calls.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    target = hosts.check("https://Example.ORG./a")
    assert (target.host, target.address, target.port, calls) == (
        "example.org", "93.184.216.34", 443, ["example.org"],
    )  # fmt: skip


def test_unresolvable_hosts_are_refused(monkeypatch: Any) -> None:
    def resolve(host: str, port: int, **kwargs: Any) -> list[Any]:
        raise socket.gaierror("no such name")

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    assert "could not be resolved" in refusal("http://nowhere.invalid/")


def test_the_deny_list_refuses_a_host_and_its_subdomains(settings: Any) -> None:
    settings.EVIDENCE_CAPTURE_DENIED_HOSTS = [".internal.test", "127.0.0.1"]
    assert "never fetched" in refusal("http://127.0.0.1/")
    assert "never fetched" in refusal("http://a.b.internal.test/")


def test_the_allow_list_admits_only_its_hosts(settings: Any) -> None:
    settings.EVIDENCE_CAPTURE_ALLOWED_HOSTS = ["localhost"]
    assert "not on the list of hosts that may be fetched" in refusal("http://127.0.0.1/")
    assert hosts.check("http://localhost:9/").host == "localhost"
