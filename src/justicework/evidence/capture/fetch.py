"""Fetching a URL for a web capture: the exchanges as they went over the wire.

Each hop is checked by ``hosts.check`` (the scheme, the host lists, the resolved addresses) and
the connection is made to the address that check resolved, never to the name again (no DNS
rebinding); for ``https`` the certificate is verified against the host name. The request is a
plain ``GET`` with ``Connection: close``; the response's bytes are kept exactly as received (the
WARC's response record), counted against ``EVIDENCE_CAPTURE_MAX_BYTES`` while they arrive, and
the whole capture (every hop) must finish within ``EVIDENCE_CAPTURE_TIMEOUT_SECONDS``. A redirect
(301, 302, 303, 307, 308) is followed at most ``EVIDENCE_CAPTURE_MAX_REDIRECTS`` times, each new
address checked again.
"""

from __future__ import annotations

import datetime as dt
import http.client
import io
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from django.conf import settings
from django.utils.translation import gettext as _

from justicework.evidence.capture import hosts

REDIRECTS = frozenset({301, 302, 303, 307, 308})
BLOCK = 64 * 1024
HEAD_LIMIT = 64 * 1024
Progress = Callable[[int], None]


class FetchProblem(Exception):
    """The capture could not be made; the message says why (nothing is stored)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Exchange:
    target: hosts.Target
    started_at: dt.datetime
    request: bytes  # the request as sent
    response: Path  # the response's bytes as received (status line, headers, body)
    size: int
    status: int
    headers: http.client.HTTPMessage
    location: str  # the absolute address of a redirect ("" when none)


class _Budget:
    def __init__(self) -> None:
        self.deadline = time.monotonic() + int(settings.EVIDENCE_CAPTURE_TIMEOUT_SECONDS)
        self.bytes_left = int(settings.EVIDENCE_CAPTURE_MAX_BYTES)

    def seconds_left(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise FetchProblem(
                _("The server did not answer within %(seconds)s seconds.")
                % {"seconds": settings.EVIDENCE_CAPTURE_TIMEOUT_SECONDS}
            )
        return left


def _host_header(target: hosts.Target) -> str:
    host = f"[{target.host}]" if ":" in target.host else target.host
    default = 443 if target.scheme == "https" else 80
    return host if target.port == default else f"{host}:{target.port}"


def request_bytes(target: hosts.Target) -> bytes:
    lines = [
        f"GET {target.path} HTTP/1.1",
        f"Host: {_host_header(target)}",
        f"User-Agent: {settings.EVIDENCE_CAPTURE_USER_AGENT}",
        "Accept: */*",
        "Accept-Encoding: identity",
        "Connection: close",
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")


def _connect(target: hosts.Target, budget: _Budget) -> socket.socket:
    try:
        sock = socket.create_connection(
            (target.address, target.port), timeout=budget.seconds_left()
        )
    except TimeoutError as exc:
        raise FetchProblem(_("Connecting to %(host)s timed out.") % {"host": target.host}) from exc
    except OSError as exc:
        raise FetchProblem(
            _("Could not connect to %(host)s (%(address)s): %(error)s")
            % {"host": target.host, "address": target.address, "error": exc.strerror or exc}
        ) from exc
    if target.scheme != "https":
        return sock
    try:
        return ssl.create_default_context().wrap_socket(sock, server_hostname=target.host)
    except (ssl.SSLError, OSError) as exc:
        sock.close()
        raise FetchProblem(
            _("The secure connection to %(host)s failed: %(error)s")
            % {"host": target.host, "error": exc}
        ) from exc


class _End:
    """Where the response ends when the server says so (``Content-Length``, or no body), so
    that a server keeping the connection open despite ``Connection: close`` does not hold the
    capture until its time limit; None: at the end of the connection."""

    def __init__(self) -> None:
        self.head = b""
        self.at: int | None = None

    def see(self, block: bytes) -> int | None:
        if self.at is not None or len(self.head) >= HEAD_LIMIT:
            return self.at
        self.head += block[: HEAD_LIMIT - len(self.head)]
        end = self.head.find(b"\r\n\r\n")
        if end >= 0:
            self.at = _body_end(self.head[: end + 4], end + 4)
        return self.at


def _body_end(head: bytes, body_start: int) -> int | None:
    stream = io.BytesIO(head)
    status = stream.readline().split(maxsplit=2)
    try:
        headers = http.client.parse_headers(stream)
    except http.client.HTTPException:
        return None
    if status[1:2] in ([b"204"], [b"304"]):  # no body
        return body_start
    length = headers.get("Content-Length", "")
    if "chunked" in headers.get("Transfer-Encoding", "").lower() or not length.isdigit():
        return None
    return body_start + int(length)


def _receive(sock: socket.socket, out: Path, budget: _Budget, progress: Progress | None) -> int:
    size, end = 0, _End()
    with out.open("wb") as handle:
        while True:
            sock.settimeout(budget.seconds_left())
            try:
                block = sock.recv(BLOCK)
            except TimeoutError as exc:
                budget.seconds_left()  # the deadline has passed: say so
                raise FetchProblem(_("The server stopped sending.")) from exc
            if not block:
                return size
            size += len(block)
            budget.bytes_left -= len(block)
            if budget.bytes_left < 0:
                raise FetchProblem(
                    _("The response is larger than %(limit)s bytes; nothing was kept.")
                    % {"limit": f"{settings.EVIDENCE_CAPTURE_MAX_BYTES:,}"}
                )
            handle.write(block)
            if progress is not None:
                progress(len(block))
            expected = end.see(block)
            if expected is not None and size >= expected:
                return size


def _parse_head(path: Path) -> tuple[int, http.client.HTTPMessage]:
    with path.open("rb") as handle:
        head = handle.read(HEAD_LIMIT)
    stream = io.BytesIO(head)
    status_line = stream.readline().decode("latin-1").split(maxsplit=2)
    if (
        len(status_line) < 2
        or not status_line[0].startswith("HTTP/")
        or not (status_line[1].isdigit())
    ):
        raise FetchProblem(_("The server's answer is not HTTP."))
    try:
        headers = http.client.parse_headers(stream)
    except http.client.HTTPException as exc:
        raise FetchProblem(_("The server's headers could not be read.")) from exc
    return int(status_line[1]), headers


def exchange(
    target: hosts.Target, out: Path, budget: _Budget, progress: Progress | None = None
) -> Exchange:
    """One request to the checked ``target``, its response's bytes written to ``out``."""
    started = dt.datetime.now(dt.UTC)
    request = request_bytes(target)
    with _connect(target, budget) as sock:
        try:
            sock.sendall(request)
        except OSError as exc:
            raise FetchProblem(
                _("The request could not be sent: %(error)s") % {"error": exc}
            ) from exc
        size = _receive(sock, out, budget, progress)
    status, headers = _parse_head(out)
    location = headers.get("Location", "") if status in REDIRECTS else ""
    return Exchange(
        target=target, started_at=started, request=request, response=out, size=size,
        status=status, headers=headers, location=urljoin(target.url, location) if location else "",
    )  # fmt: skip


def fetch(url: str, workdir: Path, progress: Progress | None = None) -> list[Exchange]:
    """Every hop from ``url`` to the final answer (``hosts.Refused`` or ``FetchProblem``)."""
    budget = _Budget()
    hops: list[Exchange] = []
    current = url
    for number in range(int(settings.EVIDENCE_CAPTURE_MAX_REDIRECTS) + 1):
        try:
            target = hosts.check(current)
        except hosts.Refused as exc:
            if not hops:
                raise
            raise hosts.Refused(
                _("The page redirected to %(url)s, which is refused: %(why)s")
                % {"url": current[:300], "why": exc.message}
            ) from exc
        hop = exchange(target, workdir / f"hop-{number}.http", budget, progress)
        hops.append(hop)
        if not hop.location:
            return hops
        current = hop.location
    raise FetchProblem(
        _("The page redirected more than %(count)s times.")
        % {"count": settings.EVIDENCE_CAPTURE_MAX_REDIRECTS}
    )
