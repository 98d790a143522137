"""`kill -9` of the server while it writes an encrypted original to S3 (moto on loopback).

The last PATCH of a tus upload makes the server seal the file under the organisation's key and
send it to the bucket in parts (slowed down, so there are moments to be killed in). The server
is killed (SIGKILL) once at a random moment of that request and then, several times, while a
multipart upload of the original is in progress. After each kill every ``Original`` row points
at a whole object in the bucket (none is written before its object is complete); a new server
finishes the upload on the next HEAD, and at the end there is one original whose decrypted
bytes hash to the file sent, one item, and no part or sealed file left.

    .venv/bin/python -m pytest -q -s tests/evidence/storage/test_crash_s3.py
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import io
import json
import random
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from tests import subprocess_db

from ..test_crash import SEED, Server
from .conftest import s3_client

pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SIGKILL"),
    subprocess_db.sqlite_pass_only,
]

PART = 5 << 20
SIZE = 3 * PART + 4321
CHUNK = 256 * 1024
KILLS_MID_WRITE = 3

SLOW_SERVER = """
import sys, time, django
django.setup()
from django.core.servers.basehttp import run
from django.core.wsgi import get_wsgi_application
from justicework.evidence.storage import s3
made = s3.S3Store.__init__
def slowed(self, *args, **kwargs):
    made(self, *args, **kwargs)
    send = self.client.upload_part
    def upload_part(**kwargs):
        time.sleep(0.2)
        return send(**kwargs)
    self.client.upload_part = upload_part
s3.S3Store.__init__ = slowed
run("127.0.0.1", int(sys.argv[1]), get_wsgi_application(), threading=True)
"""

READ_BACK = """
import json, hashlib, django
django.setup()
from justicework.evidence.models import Original
from justicework.evidence.storage.originals import open_original
out = []
for original in Original.objects.all():
    with open_original(original) as stream:
        out.append([original.storage_key, hashlib.sha256(stream.read()).hexdigest()])
print(json.dumps(out))
"""


class S3Server(Server):
    def __init__(self, root, migrated, endpoint: str, bucket: str) -> None:
        super().__init__(root, migrated)
        self.env.update({
            "JUSTICEWORK_EVIDENCE_STORAGE": "s3", "JUSTICEWORK_EVIDENCE_S3_BUCKET": bucket,
            "JUSTICEWORK_EVIDENCE_S3_ENDPOINT_URL": endpoint,
            "JUSTICEWORK_EVIDENCE_S3_ACCESS_KEY_ID": "test",
            "JUSTICEWORK_EVIDENCE_S3_SECRET_ACCESS_KEY": "test",
            "JUSTICEWORK_EVIDENCE_S3_PART_BYTES": str(PART),
            "JUSTICEWORK_EVIDENCE_ENCRYPT": "1",
        })  # fmt: skip

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", SLOW_SERVER, str(self.port)], env=self.env,
            stdout=subprocess.DEVNULL, stderr=self.log.open("ab"),
        )  # fmt: skip
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                __import__("socket").create_connection(("127.0.0.1", self.port), 0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise AssertionError(f"the server did not start: {self.log.read_text()[-2000:]}")

    def rows(self) -> list[tuple[str, int]]:
        with sqlite3.connect(self.db) as connection:
            return connection.execute("SELECT storage_key, size FROM evidence_original").fetchall()

    def head(self, url: str) -> None:
        """A tus HEAD (which finishes an upload whose last byte is in), errors ignored."""
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            connection.request("HEAD", url.split(str(self.port), 1)[1], headers={
                "Authorization": f"Bearer {self.token}", "Tus-Resumable": "1.0.0"})  # fmt: skip
            connection.getresponse().read()
        except OSError:
            pass


def _in_progress(client, bucket: str) -> set[str]:
    return {u["UploadId"] for u in client.list_multipart_uploads(Bucket=bucket).get("Uploads", [])}


def _check_rows_point_at_whole_objects(server: S3Server, client, bucket: str) -> None:
    chunks = -(-SIZE // (64 * 1024))
    for key, size in server.rows():
        head = client.head_object(Bucket=bucket, Key=key)  # raises when it is missing
        assert head["ContentLength"] >= size + 16 * chunks  # the whole sealed file


def test_kill_9_while_an_encrypted_original_goes_to_s3(tmp_path, s3_endpoint, migrated_sqlite):
    rng = random.Random(SEED)
    data = rng.randbytes(SIZE)
    client = s3_client(s3_endpoint)
    bucket = f"crash-{rng.randrange(10**9)}"
    client.create_bucket(Bucket=bucket, ObjectLockEnabledForBucket=True)
    server = S3Server(tmp_path, migrated_sqlite, s3_endpoint, bucket)
    server.start()
    uploader = server.client().uploader(
        file_stream=io.BytesIO(data), chunk_size=CHUNK, metadata={"filename": "crash.bin"}
    )
    uploader.upload(stop_at=SIZE - CHUNK)
    url = uploader.url
    # the last PATCH: killed at a random moment of receiving, sealing or sending
    last = threading.Thread(target=lambda: _resume(server, url, data))
    last.start()
    time.sleep(rng.uniform(0.05, 0.8))
    server.kill()
    last.join(timeout=60)
    _check_rows_point_at_whole_objects(server, client, bucket)
    mid_write = 0
    for _kill in range(KILLS_MID_WRITE):
        if server.rows():
            break
        seen = _in_progress(client, bucket)
        server.start()
        asking = threading.Thread(target=server.head, args=(url,))
        asking.start()
        deadline = time.monotonic() + 60
        while not _in_progress(client, bucket) - seen and asking.is_alive():
            assert time.monotonic() < deadline, "the server sent no part"
            time.sleep(0.01)
        time.sleep(rng.uniform(0, 0.3))
        mid_write += asking.is_alive()
        server.kill()
        asking.join(timeout=60)
        _check_rows_point_at_whole_objects(server, client, bucket)
    server.start()
    _resume(server, url, data)
    server.kill()
    assert len(server.rows()) == 1
    with sqlite3.connect(server.db) as connection:
        assert connection.execute("SELECT COUNT(*) FROM evidence_item").fetchone()[0] == 1
    read = subprocess.run(
        [sys.executable, "-c", READ_BACK], env=server.env, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert read.returncode == 0, read.stderr[-3000:]
    [[key, digest]] = json.loads(read.stdout)
    assert digest == hashlib.sha256(data).hexdigest()
    assert data[:4096] not in client.get_object(Bucket=bucket, Key=key)["Body"].read()
    leftovers = list((server.vault / "uploads").glob("*"))
    assert not leftovers, leftovers
    assert mid_write >= 1, "no kill landed while the original was being sent"
    print(f"\nkills survived: {1 + mid_write} ({mid_write} while parts were being sent)")


def _resume(server: S3Server, url: str, data: bytes) -> None:
    with contextlib.suppress(Exception):  # the server died under it: expected
        server.client().uploader(
            file_stream=io.BytesIO(data), url=url, chunk_size=CHUNK, retries=0
        ).upload()
