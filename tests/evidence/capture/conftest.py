"""A local HTTP server on 127.0.0.1 for the capture tests (there is no internet here): a page,
a redirect chain, redirects to forbidden addresses, an oversized response, a slow server and a
PDF. Loopback is allowed for these tests only (``EVIDENCE_CAPTURE_ALLOW_LOOPBACK``)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

PAGE = (
    b"<!doctype html><html><head><title>Checkpoint report</title></head>"
    b"<body style='background:#fff'><h1>Checkpoint 7</h1><p>Shelling reported at 06:10.</p>"
    b"<img src='http://10.0.0.1/tracker.png'></body></html>"
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
REDIRECTS = {
    "/r1": "/r2",
    "/r2": "/page",
    "/to-private": "http://10.0.0.1/admin",
    "/to-metadata": "http://169.254.169.254/latest/meta-data/",
    "/to-mapped": "http://[::ffff:192.168.0.1]/",
    "/to-ftp": "ftp://127.0.0.1/file",
    "/loop": "/loop",
}


class Handler(BaseHTTPRequestHandler):
    seen: list[dict[str, str]] = []

    def log_message(self, format: str, *args: Any) -> None:  # the base's name
        pass

    def _send(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # the base's name
        Handler.seen.append({"path": self.path, "ua": self.headers.get("User-Agent", "")})
        if self.path in REDIRECTS:
            self._send(302, b"moved", "text/plain", Location=REDIRECTS[self.path])
        elif self.path == "/page":
            self._send(200, PAGE, "text/html; charset=utf-8")
        elif self.path == "/report.pdf":
            self._send(200, PDF, "application/pdf")
        elif self.path == "/big":
            self._send(200, b"x" * (256 * 1024), "text/plain")
        elif self.path == "/slow":
            time.sleep(3)
            self._send(200, b"late", "text/plain")
        else:
            self._send(404, b"not here", "text/plain")


@pytest.fixture(scope="session")
def web_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def allow_loopback(settings: Any) -> None:
    settings.EVIDENCE_CAPTURE_ALLOW_LOOPBACK = True
    settings.EVIDENCE_CAPTURE_ALLOWED_HOSTS = []
    settings.EVIDENCE_CAPTURE_DENIED_HOSTS = []
    settings.EVIDENCE_CAPTURE_TIMEOUT_SECONDS = 10
