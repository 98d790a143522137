"""Which addresses a web capture may fetch (server-side request forgery rules).

A URL is fetched only when all of these hold, checked for the first address and again for every
redirect hop (``fetch``):

* the scheme is ``http`` or ``https``, the URL has a host and no user name or password;
* the host is not on ``EVIDENCE_CAPTURE_DENIED_HOSTS`` and, when
  ``EVIDENCE_CAPTURE_ALLOWED_HOSTS`` is set, is on it (``example.org``: that host only;
  ``.example.org``: it and its subdomains);
* its name is resolved once here, and every address it resolves to is a global unicast address:
  private, loopback, link-local, multicast, reserved, unspecified, shared (100.64/10) addresses
  and IPv6 addresses mapping or embedding one of them (``::ffff:10.0.0.1``, 6to4, NAT64 of a
  private address) are refused. ``EVIDENCE_CAPTURE_ALLOW_LOOPBACK`` (tests and development only;
  the settings refuse it in production) lets loopback addresses through, nothing else.
  ``loopback_port_allowed(port)`` lets one loopback port through, inside one ``with`` block in
  the calling thread only (the demo capturing a page from a server it started itself); the
  setting and every other rule stay as they are.

The caller connects to the ``Target.address`` checked here, never to the name again, so a DNS
answer that changes between the check and the connection (DNS rebinding) cannot send the request
elsewhere.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
SHARED = ipaddress.ip_network("100.64.0.0/10")
NAT64 = ipaddress.ip_network("64:ff9b::/96")
# Loopback ports opened by ``loopback_port_allowed``: a context variable, so a block opens them
# for its own thread (or task) only, never for a request served meanwhile by another thread.
_LOOPBACK_PORTS: ContextVar[frozenset[int]] = ContextVar("capture_loopback_ports",
                                                         default=frozenset())  # fmt: skip


@contextmanager
def loopback_port_allowed(port: int) -> Iterator[None]:
    """Within the block, in this thread, a loopback address (127.0.0.0/8, ``::1``; not one
    mapped or embedded in another address) may be fetched on ``port``; nothing else changes."""
    token = _LOOPBACK_PORTS.set(_LOOPBACK_PORTS.get() | {port})
    try:
        yield
    finally:
        _LOOPBACK_PORTS.reset(token)


def _loopback_opened(address: IPAddress, port: int) -> bool:
    return address.is_loopback and port in _LOOPBACK_PORTS.get()


class Refused(Exception):
    """A URL that may not be fetched; the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Target:
    url: str
    scheme: str
    host: str  # lower case, as in the Host header and the TLS server name
    port: int
    address: str  # the checked IP address to connect to
    path: str  # path and query, as sent in the request line


def _host_matches(host: str, pattern: str) -> bool:
    pattern = pattern.strip().lower().rstrip(".")
    if pattern.startswith("."):
        return host == pattern[1:] or host.endswith(pattern)
    return host == pattern


def _check_lists(host: str) -> None:
    denied = [p for p in settings.EVIDENCE_CAPTURE_DENIED_HOSTS if _host_matches(host, p)]
    if denied:
        raise Refused(
            _("The host %(host)s is on the list of hosts never fetched.") % {"host": host}
        )
    allowed = settings.EVIDENCE_CAPTURE_ALLOWED_HOSTS
    if allowed and not any(_host_matches(host, p) for p in allowed):
        raise Refused(
            _("The host %(host)s is not on the list of hosts that may be fetched.") % {"host": host}
        )


def _embedded(address: IPAddress) -> IPAddress | None:
    """The IPv4 address an IPv6 address maps or embeds (mapped, 6to4, Teredo, NAT64)."""
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_problem(address: IPAddress) -> str:
    """Why ``address`` may not be fetched ("" when it may)."""
    inner = _embedded(address)
    if inner is not None:
        problem = address_problem(inner)
        if problem:
            return _("it embeds %(inner)s, %(problem)s") % {"inner": inner, "problem": problem}
        return ""
    if address.is_loopback:
        return "" if settings.EVIDENCE_CAPTURE_ALLOW_LOOPBACK else _("a loopback address")
    checks = (
        (address.is_unspecified, _("the unspecified address")),
        (address.is_link_local, _("a link-local address")),
        (address.is_multicast, _("a multicast address")),
        (isinstance(address, ipaddress.IPv4Address) and address in SHARED,
         _("a shared (carrier-grade NAT) address")),
        (address.is_reserved, _("a reserved address")),
        (address.is_private, _("a private address")),
        (not address.is_global, _("not a public address")),
    )  # fmt: skip
    return next((reason for found, reason in checks if found), "")


def _resolve(host: str, port: int) -> list[IPAddress]:
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    else:
        return [literal]
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Refused(_("The host %(host)s could not be resolved.") % {"host": host}) from exc
    found: list[IPAddress] = []
    for *_rest, sockaddr in answers:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in found:
            found.append(address)
    return found


def _split(url: str) -> SplitResult:
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018  # raises ValueError on a port that is not a number
    except ValueError as exc:
        raise Refused(_("This is not a valid address: %(url)s") % {"url": url[:200]}) from exc
    if parts.scheme not in {"http", "https"}:
        raise Refused(_("Only http:// and https:// addresses can be captured."))
    if not parts.hostname:
        raise Refused(_("The address has no host."))
    if parts.username is not None or parts.password is not None:
        raise Refused(_("An address with a user name or password is not fetched."))
    return parts


def check(url: str) -> Target:
    """The checked target of ``url``, or ``Refused`` naming why it may not be fetched."""
    parts = _split(url)
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    _check_lists(host)
    addresses = _resolve(host, port)
    if not addresses:
        raise Refused(_("The host %(host)s has no address.") % {"host": host})
    for address in addresses:
        problem = "" if _loopback_opened(address, port) else address_problem(address)
        if problem:
            raise Refused(
                _("%(host)s resolves to %(address)s, which is not fetched: %(problem)s.")
                % {"host": host, "address": address, "problem": problem}
            )
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(url=parts.geturl(), scheme=parts.scheme, host=host, port=port,
                  address=str(addresses[0]), path=path)  # fmt: skip
