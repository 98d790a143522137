"""Memory stays flat while a large original is sealed, sent to S3 in parts and read back.

A separate process (its own data directory and database, the moto server of the tests on
loopback) places a file of ``SIZE`` bytes as an encrypted original, then reads it back through
``open_original`` and hashes it; its peak resident memory (``ru_maxrss``) may grow by at most
``ALLOWED`` over what it had after a small warm-up original. The file is several times larger
than that allowance, so a whole-file read anywhere fails the test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import subprocess_db

from .conftest import s3_client

pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ru_maxrss in KiB"),
    subprocess_db.sqlite_pass_only,
]

REPO = Path(__file__).resolve().parents[3]
SIZE = 160 << 20
ALLOWED = 64 << 20

CHILD = """
import hashlib, json, os, resource, sys, django
django.setup()
from justicework.evidence.storage.originals import open_original, place
from justicework.evidence.models import Original
from tests.conftest import make_org

def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

org = make_org("Memory Watch")
root = os.environ["JUSTICEWORK_DATA_DIR"]
def original_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as reading:
        while block := reading.read(1 << 20):
            digest.update(block)
    sha = digest.hexdigest()
    placed = place(sha, __import__("pathlib").Path(path), org.pk)
    return Original.objects.create(
        sha256=sha, sha512="0" * 128, size=os.path.getsize(path), media_type="x/y",
        storage_key=placed.key, vault_id=placed.vault, backend=placed.backend)

def read_back(original):
    digest = hashlib.sha256()
    with open_original(original) as stream:
        while block := stream.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()

small = original_of(sys.argv[1])
assert read_back(small) == small.sha256
before = peak()
big = original_of(sys.argv[2])
after_place = peak()
assert read_back(big) == big.sha256
print(json.dumps({"before": before, "place": after_place, "read": peak()}))
"""


def test_placing_and_reading_a_large_sealed_original_keeps_memory_flat(
    tmp_path, s3_endpoint, migrated_sqlite
):
    bucket = "memory-flat"
    s3_client(s3_endpoint).create_bucket(Bucket=bucket, ObjectLockEnabledForBucket=True)
    small, big = tmp_path / "small.part", tmp_path / "big.part"
    small.write_bytes(os.urandom(7 << 20))  # warm-up: one part sent, read back
    with big.open("wb") as out:
        for _block in range(SIZE >> 20):
            out.write(os.urandom(1 << 20))
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "justicework.settings_test",
        "JUSTICEWORK_DATA_DIR": str(tmp_path / "data"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'memory.sqlite3'}",
        "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)]),
        "JUSTICEWORK_EVIDENCE_STORAGE": "s3", "JUSTICEWORK_EVIDENCE_S3_BUCKET": bucket,
        "JUSTICEWORK_EVIDENCE_S3_ENDPOINT_URL": s3_endpoint,
        "JUSTICEWORK_EVIDENCE_S3_ACCESS_KEY_ID": "test",
        "JUSTICEWORK_EVIDENCE_S3_SECRET_ACCESS_KEY": "test",
        "JUSTICEWORK_EVIDENCE_S3_PART_BYTES": str(5 << 20),
        "JUSTICEWORK_EVIDENCE_ENCRYPT": "1",
    }  # fmt: skip
    (tmp_path / "data").mkdir()
    subprocess_db.copy(migrated_sqlite, tmp_path / "memory.sqlite3")
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(small), str(big)], env=env, capture_output=True,
        text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    grown_placing = figures["place"] - figures["before"]
    grown_reading = figures["read"] - figures["before"]
    print(f"\npeak RSS growth for {SIZE >> 20} MiB: placing {grown_placing >> 20} MiB, "
          f"reading {grown_reading >> 20} MiB (allowed {ALLOWED >> 20} MiB)")  # fmt: skip
    assert grown_placing < ALLOWED
    assert grown_reading < ALLOWED
