"""A standard tus client (tuspy) against a live server: upload with per-chunk checksums, stop
half-way, resume from the server's offset, and get the hashes hashlib computes."""

from __future__ import annotations

import hashlib
import io
import os

import pytest
from tusclient import client as tus_client
from tusclient.exceptions import TusCommunicationError

from justicework.core import actions as core_actions
from justicework.evidence.models import Item, Upload


@pytest.fixture
def token(documenter):
    _token, secret = core_actions.create_token(
        documenter, name="tuspy", scope="write", expires_in_days=5
    )
    return secret


def _client(live_server, token):
    return tus_client.TusClient(
        f"{live_server.url}/api/v1/evidence/uploads/", headers={"Authorization": f"Bearer {token}"}
    )


def test_tuspy_uploads_stops_and_resumes_with_checksums(transactional_db, live_server, token):
    data = os.urandom(3 * 1024 * 1024 + 17)
    first = _client(live_server, token).uploader(
        file_stream=io.BytesIO(data), chunk_size=512 * 1024, upload_checksum=True,
        metadata={"filename": "video.mp4", "sha256": hashlib.sha256(data).hexdigest()},
    )  # fmt: skip
    first.upload(stop_at=1024 * 1024)
    assert Upload.objects.get().offset == 1024 * 1024
    resumed = _client(live_server, token).uploader(
        file_stream=io.BytesIO(data), url=first.url, chunk_size=700 * 1024, upload_checksum=True
    )
    assert resumed.offset == 1024 * 1024  # asked with HEAD
    resumed.upload()
    original = Item.objects.get().original
    assert original.sha256 == hashlib.sha256(data).hexdigest()
    assert original.sha512 == hashlib.sha512(data).hexdigest()


def test_tuspy_is_told_when_the_declared_hash_differs(transactional_db, live_server, token):
    uploader = _client(live_server, token).uploader(
        file_stream=io.BytesIO(b"x" * 1000), chunk_size=400,
        metadata={"filename": "a.bin", "sha256": "0" * 64},
    )  # fmt: skip
    with pytest.raises(TusCommunicationError) as raised:
        uploader.upload()
    assert raised.value.status_code == 460
    assert not Item.objects.exists()
