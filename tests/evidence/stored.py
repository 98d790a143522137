"""Reading and changing what is really in the store (a local file or an S3 object), behind
the application's back, for the tests that run on every backend (the ``backend`` fixture)."""

from __future__ import annotations

import hashlib

from django.conf import settings

from justicework.evidence.models import Derivative, Original
from justicework.evidence.storage import store

from .storage.conftest import s3_client


def raw_original(original: Original) -> bytes:
    with store().open(original.storage_key) as handle:
        return handle.read()


def raw_derivative(row: Derivative) -> bytes:
    with store().open_derivative(row.storage_key) as handle:
        return handle.read()


def overwrite(key: str, data: bytes) -> None:
    """Replace the stored object ``key`` with ``data`` (an attacker with the disk or the
    bucket). In a versioned bucket this is a new version, which is what a GET reads."""
    if settings.EVIDENCE_STORAGE == "s3":
        client = s3_client(settings.EVIDENCE_S3_ENDPOINT_URL)
        client.put_object(
            Bucket=settings.EVIDENCE_S3_BUCKET, Key=settings.EVIDENCE_S3_PREFIX + key, Body=data
        )
        return
    path = store().root / key
    path.chmod(0o640)
    path.write_bytes(data)


def present(key: str) -> bool:
    """Whether anything (any version, on S3) is stored under ``key``."""
    if settings.EVIDENCE_STORAGE == "s3":
        client = s3_client(settings.EVIDENCE_S3_ENDPOINT_URL)
        name = settings.EVIDENCE_S3_PREFIX + key
        listed = client.list_object_versions(Bucket=settings.EVIDENCE_S3_BUCKET, Prefix=name)
        return any(v["Key"] == name for v in listed.get("Versions", []))
    return (store().root / key).is_file()


def assert_stored_as_backend_says(
    stored: bytes, plaintext: bytes, *, sealed: bool, word: bytes | None = None
) -> None:
    """Sealed: the stored object is ciphertext (the vault's header, no plaintext word, not the
    plaintext's hash); plain: exactly the plaintext."""
    if sealed:
        assert stored.startswith(b"JWVAULT") and stored != plaintext
        assert hashlib.sha256(stored).hexdigest() != hashlib.sha256(plaintext).hexdigest()
        if word is not None:
            assert word not in stored
    else:
        assert stored == plaintext


def sealed(backend: str) -> bool:
    return backend.endswith("-sealed")
