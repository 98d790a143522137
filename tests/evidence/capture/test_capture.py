"""Web capture against the local server: the WARC (readable with warcio, its hashes those of
the stored original), the screenshot item, the custody entries; refusals store nothing."""

from __future__ import annotations

import gzip
import hashlib
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from justicework.evidence import custody
from justicework.evidence.actions import captures
from justicework.evidence.capture import fetch, hosts, screenshot
from justicework.evidence.models import Capture, CustodyEntry, Item, Original
from justicework.evidence.storage import store

from .conftest import PAGE, PDF, Handler

pytestmark = pytest.mark.django_db


def run(cast: Any, url: str) -> Capture:
    capture = captures.create_capture(cast.documenter, cast.acme, url)
    return captures.run_capture(capture)


def records(item: Item) -> list[Any]:
    with store().open(item.original.sha256) as handle:
        return [
            (r.rec_type, r.rec_headers, r.http_headers, r.content_stream().read())
            for r in ArchiveIterator(handle)
        ]


def test_a_page_is_captured_into_a_warc_with_hashes_and_custody(cast: Any, web_server: str) -> None:
    capture = run(cast, f"{web_server}/r1")
    item = capture.item
    assert item is not None and capture.status == "done"
    stored = store().path_for(item.original.sha256).read_bytes()
    assert hashlib.sha256(stored).hexdigest() == item.original.sha256
    assert hashlib.sha512(stored).hexdigest() == item.original.sha512
    assert item.original.size == len(stored) and "gzip" in item.original.media_type
    found = records(item)
    assert [r[0] for r in found] == ["warcinfo"] + ["response", "request"] * 3
    info = found[0][3].decode()
    assert "JusticeWork" in info and f"target-uri: {web_server}/r1" in info
    assert "capture-time: " in info
    final = found[-2]
    assert final[1].get_header("WARC-Target-URI") == f"{web_server}/page"
    assert final[1].get_header("WARC-IP-Address") == "127.0.0.1"
    assert final[2].get_statuscode() == "200" and final[3] == PAGE
    assert b"User-Agent: JusticeWork-capture" in found[-1][3] or "JusticeWork" in str(found[-1][2])
    assert (capture.final_url, capture.http_status, capture.address) == (
        f"{web_server}/page", 200, "127.0.0.1",
    )  # fmt: skip
    assert item.source_url == f"{web_server}/r1" and item.collection_method == "web capture"
    assert item.collector == cast.documenter.email and item.collected_at is not None
    assert "warcio" in item.collection_tool and item.sha256_at_collection == item.original.sha256
    entries = list(item.custody.order_by("seq"))
    assert [e.event for e in entries] == ["collected", "received", "captured"]
    detail = entries[-1].detail
    assert detail["final_url"] == f"{web_server}/page" and detail["http_status"] == 200
    assert detail["ip"] == "127.0.0.1" and detail["user_agent"].startswith("JusticeWork")
    assert detail["at"].endswith("+00:00") and len(detail["hops"]) == 3
    assert custody.problems(entries) == []


@pytest.mark.skipif(not screenshot.browser(), reason="no headless browser on this machine")
def test_the_screenshot_is_a_second_item_naming_its_capture(cast: Any, web_server: str) -> None:
    capture = run(cast, f"{web_server}/page")
    shot = capture.screenshot
    assert shot is not None and capture.screenshot_reason == ""
    assert shot.original.media_type == "image/png" and shot.display_name.endswith(".png")
    data = store().path_for(shot.original.sha256).read_bytes()
    assert data.startswith(b"\x89PNG") and hashlib.sha256(data).hexdigest() == shot.original.sha256
    assert "screenshot" in shot.collection_method and shot.source_url == capture.url
    events = list(shot.custody.order_by("seq"))
    assert [e.event for e in events] == ["collected", "received", "captured"]
    of = events[-1].detail["screenshot_of"]
    assert of == {"capture": str(capture.pk), "warc_item": capture.item_id,
                  "warc_sha256": capture.item.original.sha256}  # fmt: skip
    warc_entry = capture.item.custody.get(event="captured")
    assert warc_entry.detail["screenshot_item"] == shot.pk
    # the browser rendered offline: the page's image on a private address was never asked for
    assert all("tracker" not in seen["path"] for seen in Handler.seen)


def test_without_a_browser_the_capture_says_why(cast: Any, web_server: str, settings: Any) -> None:
    settings.EVIDENCE_CAPTURE_BROWSER = ""
    capture = run(cast, f"{web_server}/page")
    assert capture.screenshot is None and capture.item is not None
    assert "No headless browser" in capture.screenshot_reason
    entry = capture.item.custody.get(event="captured")
    assert "No headless browser" in entry.detail["screenshot_reason"]


def test_a_file_that_is_not_html_is_captured_without_screenshot(cast: Any, web_server: str) -> None:
    capture = run(cast, f"{web_server}/report.pdf")
    assert capture.status == "done" and capture.screenshot is None
    assert "not HTML" in capture.screenshot_reason
    body = next(r for r in records(capture.item) if r[0] == "response")
    assert body[3] == PDF and body[2].get_header("Content-Type") == "application/pdf"


@pytest.mark.parametrize(
    ("path", "why"),
    [
        ("/to-private", "10.0.0.1, which is not fetched: a private address"),
        ("/to-metadata", "169.254.169.254, which is not fetched: a link-local address"),
        ("/to-mapped", "it embeds 192.168.0.1"),
        ("/to-ftp", "Only http:// and https://"),
    ],
)
def test_a_redirect_to_a_forbidden_address_is_refused(
    cast: Any, web_server: str, path: str, why: str
) -> None:
    capture = captures.create_capture(cast.documenter, cast.acme, f"{web_server}{path}")
    with pytest.raises(hosts.Refused) as caught:
        captures.run_capture(capture)
    assert "The page redirected to" in caught.value.message and why in caught.value.message
    assert not Item.objects.exists() and not Original.objects.exists()
    assert not list(store().incoming_dir().iterdir())


def test_redirects_are_limited(cast: Any, web_server: str, settings: Any) -> None:
    settings.EVIDENCE_CAPTURE_MAX_REDIRECTS = 1
    capture = captures.create_capture(cast.documenter, cast.acme, f"{web_server}/r1")
    with pytest.raises(fetch.FetchProblem, match="redirected more than 1 times"):
        captures.run_capture(capture)
    assert not Item.objects.exists()


def test_an_oversized_response_is_refused(cast: Any, web_server: str, settings: Any) -> None:
    settings.EVIDENCE_CAPTURE_MAX_BYTES = 100_000
    capture = captures.create_capture(cast.documenter, cast.acme, f"{web_server}/big")
    with pytest.raises(fetch.FetchProblem, match="larger than 100,000 bytes"):
        captures.run_capture(capture)
    assert not Item.objects.exists() and not list(store().incoming_dir().iterdir())


def test_a_slow_server_times_out(cast: Any, web_server: str, settings: Any) -> None:
    settings.EVIDENCE_CAPTURE_TIMEOUT_SECONDS = 1
    capture = captures.create_capture(cast.documenter, cast.acme, f"{web_server}/slow")
    with pytest.raises(fetch.FetchProblem, match="within 1 seconds"):
        captures.run_capture(capture)
    assert not Item.objects.exists()


def test_a_refused_address_is_refused_when_asked(cast: Any, settings: Any) -> None:
    settings.EVIDENCE_CAPTURE_ALLOW_LOOPBACK = False
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        captures.create_capture(cast.documenter, cast.acme, "http://127.0.0.1:1/")
    assert "a loopback address" in str(caught.value.message_dict["url"])
    assert not Capture.objects.exists()


def test_the_same_page_twice_makes_two_items_with_their_own_custody(
    cast: Any, web_server: str, settings: Any
) -> None:
    settings.EVIDENCE_CAPTURE_BROWSER = ""
    first, second = run(cast, f"{web_server}/report.pdf"), run(cast, f"{web_server}/report.pdf")
    assert first.item_id != second.item_id
    assert CustodyEntry.objects.filter(event="captured").count() == 2
    # each WARC holds its own capture time and record ids: two originals
    assert first.item.original_id != second.item.original_id
    with store().open(first.item.original.sha256) as handle:
        assert gzip.decompress(handle.read()).startswith(b"WARC/1.1")


def test_the_command_captures_a_page(cast: Any, web_server: str, settings: Any) -> None:
    import io

    from django.core.management import call_command

    settings.EVIDENCE_CAPTURE_BROWSER = ""
    out = io.StringIO()
    call_command("evidence", "capture", f"{web_server}/r2", "--organisation", cast.acme.slug,
                 "--as", cast.documenter.email, stdout=out)  # fmt: skip
    capture = Capture.objects.get()
    assert f"-> {web_server}/page (HTTP 200, 127.0.0.1)" in out.getvalue()
    assert capture.item.original.sha256 in out.getvalue() and "no screenshot:" in out.getvalue()


def test_the_command_names_a_refusal(cast: Any, web_server: str) -> None:
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match=r"10\.0\.0\.1"):
        call_command("evidence", "capture", f"{web_server}/to-private", "--organisation",
                     cast.acme.slug, "--as", cast.documenter.email)  # fmt: skip
    assert Capture.objects.get().status == "failed"
    with pytest.raises(CommandError, match="Not allowed"):
        call_command("evidence", "capture", f"{web_server}/page", "--organisation",
                     cast.acme.slug, "--as", cast.viewer.email)  # fmt: skip
    assert not Item.objects.exists()


def test_the_connection_goes_to_the_address_checked_not_a_new_answer(
    cast: Any, web_server: str, monkeypatch: Any, settings: Any
) -> None:
    """DNS rebinding: the name answers loopback (allowed here) when checked (when asked for, and
    when fetched), then a private address; the request still goes to the address checked, the
    name being resolved once per check and never by the connection."""
    import socket

    settings.EVIDENCE_CAPTURE_BROWSER = ""
    real, asked = socket.getaddrinfo, []

    def rebinding(host: str, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != "rebind.test":
            return real(host, port, *args, **kwargs)  # an address literal: no DNS
        asked.append(host)
        address = "127.0.0.1" if len(asked) <= 2 else "10.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    port = web_server.rsplit(":", 1)[1]
    capture = run(cast, f"http://rebind.test:{port}/page")
    assert (
        capture.address == "127.0.0.1"
        and capture.http_status == 200
        and asked == ["rebind.test"] * 2
    )
    response = next(r for r in records(capture.item) if r[0] == "response")
    assert response[1].get_header("WARC-IP-Address") == "127.0.0.1"
    assert Handler.seen[-1]["path"] == "/page"


def test_a_certificate_that_does_not_verify_is_refused(cast: Any, tmp_path: Any) -> None:
    import shutil
    import ssl
    import subprocess
    import threading
    from http.server import ThreadingHTTPServer

    if not shutil.which("openssl"):
        pytest.skip("no openssl binary to make a certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(  # fixed arguments
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        capture = captures.create_capture(
            cast.documenter, cast.acme, f"https://127.0.0.1:{server.server_address[1]}/page"
        )
        with pytest.raises(fetch.FetchProblem, match=r"secure connection to 127\.0\.0\.1 failed"):
            captures.run_capture(capture)
    finally:
        server.shutdown()
        server.server_close()
    assert not Item.objects.exists()


def test_work_directories_of_killed_captures_are_swept() -> None:
    import os
    import time

    old = store().incoming_dir() / "capture-killed"
    old.mkdir()
    (old / "hop-0.http").write_bytes(b"HTTP/1.1 200 OK\r\n\r\nhalf")
    os.utime(old, (time.time() - 2 * 86400, time.time() - 2 * 86400))
    fresh = store().incoming_dir() / "capture-running"
    fresh.mkdir()
    assert captures.sweep_workdirs() == 1 and not old.exists() and fresh.exists()


def test_a_server_keeping_the_connection_open_does_not_hold_the_capture(
    cast: Any, settings: Any
) -> None:
    """The response ends where its Content-Length says, even when the server does not close."""
    import socket
    import threading
    import time

    settings.EVIDENCE_CAPTURE_BROWSER = ""
    settings.EVIDENCE_CAPTURE_TIMEOUT_SECONDS = 5
    listener = socket.create_server(("127.0.0.1", 0))
    body = b"kept open"

    def serve() -> None:
        connection, _address = listener.accept()
        connection.recv(4096)
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                           b"Content-Length: 9\r\n\r\n" + body)  # fmt: skip
        time.sleep(8)
        connection.close()

    threading.Thread(target=serve, daemon=True).start()
    started = time.monotonic()
    capture = run(cast, f"http://127.0.0.1:{listener.getsockname()[1]}/open")
    listener.close()
    assert time.monotonic() - started < 4 and capture.http_status == 200
    response = next(r for r in records(capture.item) if r[0] == "response")
    assert response[3] == body
