"""`kill -9` of the server at random points of a tus upload, then resume with tuspy.

A real server process (Django's threaded WSGI server on loopback, its own data directory and
SQLite database) receives an upload. It is killed (SIGKILL) several times: while a PATCH is
half-way through its body (the bytes written past the recorded offset are then on disk) and at
random moments of a tuspy upload. After each kill the recorded offset never exceeds the bytes on
disk; a new server process takes the upload on from the recorded offset; at the end tuspy
resumes it to completion and the original's SHA-256 and SHA-512 are hashlib's, the stored file
is the file sent, and no part file is left.

    .venv/bin/python -m pytest -q -s tests/evidence/test_crash.py   # prints "kills survived"
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from tusclient import client as tus_client

from tests import subprocess_db

pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SIGKILL, flock"),
    subprocess_db.sqlite_pass_only,
]

SIZE = 6 * 1024 * 1024 + 123
CHUNK = 256 * 1024
TORN_KILLS = 3  # kills while a PATCH's body is half sent
RANDOM_KILLS = 3  # kills at random moments of a tuspy upload
REPO = Path(__file__).resolve().parents[2]
SEED = int(os.environ.get("JUSTICEWORK_CRASH_SEED", "12"))

SETUP = """
import json, django
django.setup()
from justicework.core import actions as core
from justicework.core.roles import Role
from tests.conftest import make_org, make_user
org = make_org("Crash Vault Watch")
user = make_user("documenter@crash.test")
core.add_member(None, org, user, Role.DOCUMENTER)
_token, secret = core.create_token(user, name="crash", scope="write", expires_in_days=2)
print(json.dumps({"token": secret}))
"""

SERVER = """
import sys, django
django.setup()
from django.core.servers.basehttp import run
from django.core.wsgi import get_wsgi_application
from justicework.evidence.intake import receive
receive.BLOCK = 16 * 1024  # many writes per chunk: more moments to be killed in
run("127.0.0.1", int(sys.argv[1]), get_wsgi_application(), threading=True)
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    def __init__(self, root: Path, migrated: Path) -> None:
        data = root / "data"
        data.mkdir()
        self.db = subprocess_db.copy(migrated, data / "crash.sqlite3")
        self.log = root / "server.log"
        self.vault = data / "evidence"
        self.env = {
            **os.environ, "DJANGO_SETTINGS_MODULE": "justicework.settings_test",
            "JUSTICEWORK_DATA_DIR": str(data), "DATABASE_URL": f"sqlite:///{self.db}",
            # this checkout's code, whatever the virtualenv's editable install points at
            "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)]),
        }  # fmt: skip
        done = subprocess.run(
            [sys.executable, "-c", SETUP], env=self.env, capture_output=True, text=True,
            timeout=180, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-3000:]
        self.token = json.loads(done.stdout)["token"]
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVER, str(self.port)], env=self.env,
            stdout=subprocess.DEVNULL, stderr=self.log.open("ab"),
        )  # fmt: skip
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise AssertionError(f"the server did not start: {self.log.read_text()[-2000:]}")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def client(self) -> tus_client.TusClient:
        return tus_client.TusClient(
            f"{self.base}/api/v1/evidence/uploads/",
            headers={"Authorization": f"Bearer {self.token}"},
        )

    def recorded(self) -> tuple[str, int, int]:
        """The upload's id, recorded offset and length, read as another process would."""
        with sqlite3.connect(self.db) as connection:
            row = connection.execute("SELECT id, offset, length FROM evidence_upload").fetchone()
        return str(row[0]), int(row[1]), int(row[2])

    def part(self, upload_id: str) -> Path:
        return self.vault / "uploads" / f"{upload_id.replace('-', '')}.part"


def _torn_patch(server: Server, url: str, offset: int, data: bytes, rng: random.Random) -> int:
    """Send a PATCH's headers and part of its body, wait until the server has written bytes past
    the recorded offset, then kill it. Returns how many bytes past the offset were on disk."""
    body = data[offset : offset + CHUNK]
    sent = rng.randrange(len(body) // 4, len(body) - 1)
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.putrequest("PATCH", url.split(str(server.port), 1)[1])
    for name, value in {
        "Authorization": f"Bearer {server.token}", "Tus-Resumable": "1.0.0",
        "Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream",
        "Content-Length": str(len(body)),
    }.items():  # fmt: skip
        connection.putheader(name, value)
    connection.endheaders()
    connection.send(body[:sent])
    upload_id, _, _ = server.recorded()
    deadline = time.monotonic() + 10
    while server.part(upload_id).stat().st_size <= offset:
        assert time.monotonic() < deadline, "the server wrote nothing of the PATCH"
        time.sleep(0.01)
    time.sleep(rng.uniform(0, 0.05))
    server.kill()
    connection.close()
    return server.part(upload_id).stat().st_size - server.recorded()[1]


def _kill_during_tuspy(server: Server, url: str, data: bytes, rng: random.Random) -> None:
    """Resume with tuspy in a thread and kill the server at a random moment."""
    failed: list[BaseException] = []

    def run() -> None:
        try:
            uploader = server.client().uploader(
                file_stream=__import__("io").BytesIO(data), url=url, chunk_size=CHUNK,
                retries=0,
            )  # fmt: skip
            uploader.upload()
        except Exception as exc:  # the server died under it: expected
            failed.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    time.sleep(rng.uniform(0.05, 0.4))
    server.kill()
    thread.join(timeout=30)


def test_kill_9_at_random_points_of_an_upload_then_resume(tmp_path, migrated_sqlite):
    rng = random.Random(SEED)
    data = rng.randbytes(SIZE)
    server = Server(tmp_path, migrated_sqlite)
    server.start()
    uploader = server.client().uploader(
        file_stream=__import__("io").BytesIO(data), chunk_size=CHUNK,
        metadata={"filename": "crash.bin", "sha256": hashlib.sha256(data).hexdigest()},
    )  # fmt: skip
    uploader.upload(stop_at=CHUNK * rng.randrange(1, 4))
    url = uploader.url
    torn = 0
    for _kill in range(TORN_KILLS):
        _upload_id, offset, _length = server.recorded()
        torn += _torn_patch(server, url, offset, data, rng) > 0
        assert server.recorded()[1] == offset  # nothing recorded of the torn PATCH
        server.start()
    for _kill in range(RANDOM_KILLS):
        _kill_during_tuspy(server, url, data, rng)
        upload_id, offset, length = server.recorded()
        part = server.part(upload_id)
        if part.exists():  # recorded bytes are on disk
            assert part.stat().st_size >= offset
        else:  # tuspy finished before the kill: the original holds the bytes
            assert offset == length
        server.start()
        if offset == length:
            break
    final = server.client().uploader(file_stream=__import__("io").BytesIO(data), url=url,
                                     chunk_size=CHUNK)  # fmt: skip
    final.upload()
    server.kill()
    with sqlite3.connect(server.db) as connection:
        originals = connection.execute(
            "SELECT sha256, sha512, size FROM evidence_original"
        ).fetchall()
        items = connection.execute("SELECT COUNT(*) FROM evidence_item").fetchone()[0]
    assert originals == [(hashlib.sha256(data).hexdigest(), hashlib.sha512(data).hexdigest(), SIZE)]
    assert items == 1
    digest = originals[0][0]
    stored = server.vault / "originals" / digest[:2] / digest[2:4] / digest
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == digest
    assert not list((server.vault / "uploads").glob("*.part"))
    assert torn == TORN_KILLS, "a torn PATCH left no bytes past the recorded offset"
    print(
        f"\nkills survived: {TORN_KILLS + RANDOM_KILLS} ({torn} mid-PATCH, bytes past the offset)"
    )
