"""Intake of one large file through the tus API on loopback (issue 12: >= 0.5x of a one-pass
copy-and-hash; the server's peak memory < 150 MB whatever the size).

A file of random bytes (written block by block: no holes, so nothing reads faster than real
data would) is generated in a temporary directory: 2 GiB by default,
``JUSTICEWORK_BENCH_INTAKE_BYTES`` to change it (``--quick``: 64 MiB). Then, in the same run:

* **baseline**: ``tee COPY < FILE | sha256sum`` — one pass that copies and hashes the file, the
  practical limit of what intake does (store the bytes, hash them), timed by wall clock; and,
  printed beside it as ``openssl_reference_mib_s``, the same with ``openssl dgst -sha256``
  (coreutils' ``sha256sum`` here does not use OpenSSL's faster SHA-256: docs/benchmarks.md);
* **intake**: a real server process (Django's threaded WSGI server on 127.0.0.1, the project's
  settings, the runner's fresh database and data directory) receives the file through the tus
  API with a bearer token: one creation request, then PATCH requests of
  ``JUSTICEWORK_BENCH_INTAKE_CHUNK_MIB`` MiB (64 by default) sent with ``sendfile`` (so the
  client costs little CPU), until the last answers with the item and its SHA-256, which must be
  the baseline's. The server computes SHA-256 and SHA-512 and fsyncs each chunk: more work than
  the baseline, on purpose.

The server's peak memory is the sum of ``VmHWM`` (peak resident set) in ``/proc/PID/status`` of
the server process and any children, read after the upload, before the server stops; its
resident set before the upload (after a warm-up request) is printed beside it.
"""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from benchmarks import figure, quick

ROOT = Path(__file__).resolve().parent.parent
BLOCK = 1 << 20
RSS_TARGET_MB = 150

SERVER = """
import sys, django
django.setup()
from django.core.servers.basehttp import run
from django.core.wsgi import get_wsgi_application
run("127.0.0.1", int(sys.argv[1]), get_wsgi_application(), threading=True)
"""


def _size() -> int:
    default = 64 << 20 if quick() else 2 << 30
    return int(os.environ.get("JUSTICEWORK_BENCH_INTAKE_BYTES", default))


def _generate(path: Path, size: int) -> None:
    with path.open("wb") as out:
        left = size
        while left:
            block = os.urandom(min(BLOCK, left))
            out.write(block)
            left -= len(block)


def _baseline(path: Path, copy: Path, hasher: str = "sha256sum") -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S602
        # a fixed pipeline of our own temporary paths, no outside input
        f"tee '{copy}' < '{path}' | {hasher}", shell=True, check=True,
        capture_output=True, text=True,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    copy.unlink()
    return elapsed, done.stdout.split()[-1] if "openssl" in hasher else done.stdout.split()[0]


def _token() -> str:
    from django.db import connections

    from justicework.core import actions as core
    from justicework.core.roles import Role

    organisation = core.create_organisation(None, name="Intake Bench", kind="member",
                                            countries=["UA"])  # fmt: skip
    user = core.create_user(None, email="bench@intake.test", password=None,
                            display_name="Bench")  # fmt: skip
    core.add_member(None, organisation, user, Role.DOCUMENTER)
    _token, secret = core.create_token(user, name="bench", scope="write", expires_in_days=1)
    connections.close_all()  # the server process writes the same database
    return str(secret)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").iterdir():
            children = (task / "children").read_text().split()
            todo.extend(int(child) for child in children)
    return found


def _status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


def _memory_mb(pid: int, field: str) -> float:
    return sum(_status_kib(each, field) for each in _tree(pid)) / 1024


class Server:
    def __init__(self, log: Path) -> None:
        self.port = _free_port()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVER, str(self.port)], env=env,
            stdout=subprocess.DEVNULL, stderr=log.open("ab"),
        )  # fmt: skip
        deadline = time.monotonic() + 90
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError as exc:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    problem = log.read_text()[-2000:]
                    raise RuntimeError(f"the server did not start: {problem}") from exc
                time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def _request(port: int, method: str, path: str, headers: dict[str, str],
             body: tuple[Any, int, int] | None = None) -> http.client.HTTPResponse:  # fmt: skip
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    connection.putrequest(method, path)
    for name, value in headers.items():
        connection.putheader(name, value)
    connection.endheaders()
    if body is not None:
        handle, offset, count = body
        assert connection.sock is not None
        connection.sock.sendfile(handle, offset, count)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def _upload(port: int, token: str, path: Path, size: int, chunk: int) -> tuple[float, str]:
    auth = {"Authorization": f"Bearer {token}", "Tus-Resumable": "1.0.0"}
    endpoint = "/api/v1/evidence/uploads/"
    _request(port, "OPTIONS", endpoint, {"Tus-Resumable": "1.0.0"})  # warm-up
    started = time.perf_counter()
    created = _request(port, "POST", endpoint, {**auth, "Upload-Length": str(size),
                                                "Content-Length": "0"})  # fmt: skip
    if created.status != 201:
        raise RuntimeError(f"creation answered {created.status}")
    location = urlsplit(created.getheader("Location", "")).path
    offset, last = 0, created
    with path.open("rb") as handle:
        while offset < size:
            count = min(chunk, size - offset)
            headers = {**auth, "Upload-Offset": str(offset), "Content-Length": str(count),
                       "Content-Type": "application/offset+octet-stream"}  # fmt: skip
            last = _request(port, "PATCH", location, headers, (handle, offset, count))
            if last.status != 204:
                raise RuntimeError(f"PATCH at {offset} answered {last.status}")
            offset += count
    return time.perf_counter() - started, last.getheader("Evidence-Sha256", "")


def run() -> list[dict[str, Any]]:
    size = _size()
    chunk = int(os.environ.get("JUSTICEWORK_BENCH_INTAKE_CHUNK_MIB", "64")) << 20
    token = _token()
    work = Path(tempfile.mkdtemp(prefix="justicework-intake-"))
    try:
        source = work / "evidence.bin"
        _generate(source, size)
        base_seconds, base_sha256 = _baseline(source, work / "copy.bin")
        fast_seconds, _ = _baseline(source, work / "copy.bin", "openssl dgst -sha256")
        server = Server(work / "server.log")
        try:
            time.sleep(0.5)
            idle_mb = _memory_mb(server.process.pid, "VmRSS")
            seconds, sha256 = _upload(server.port, token, source, size, chunk)
            peak_mb = _memory_mb(server.process.pid, "VmHWM")
        finally:
            server.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if sha256 != base_sha256:
        raise RuntimeError(f"the server's SHA-256 {sha256} is not sha256sum's {base_sha256}")
    mib = size / (1 << 20)
    return [
        figure(
            "tus intake on loopback (SHA-256+SHA-512, fsync per chunk)",
            mib / seconds,
            "MiB/s",
            "tee FILE | sha256sum (one-pass copy and hash)",
            mib / base_seconds,
            bytes=size,
            chunk_mib=chunk >> 20,
            seconds=round(seconds, 2),
            baseline_seconds=round(base_seconds, 2),
            openssl_reference_mib_s=round(mib / fast_seconds, 1),
            server_peak_rss_mb=round(peak_mb, 1),
            server_rss_before_mb=round(idle_mb, 1),
            rss_target_mb=RSS_TARGET_MB,
            sha256=sha256,
        ),
    ]
