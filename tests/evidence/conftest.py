"""Fixtures of the evidence tests: a throw-away vault directory, signed-in clients (session
and token), and a small tus client over Django's test client (tuspy itself is used against a
live server in ``test_tuspy.py``, the crash test and the browser test)."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.test import Client
from moto.server import ThreadedMotoServer

from justicework.core import actions as core_actions
from justicework.core.models import Organisation, User
from justicework.evidence import actions
from justicework.evidence.models import Item, Upload

TUS = {"Tus-Resumable": "1.0.0"}
ENDPOINT = "/api/v1/evidence/uploads/"


@pytest.fixture(autouse=True)
def vault(settings: Any, tmp_path: Path) -> Iterator[Path]:
    """Every test gets its own vault directory and a fresh rate-limit budget."""
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    cache.clear()
    yield settings.EVIDENCE_DIR
    cache.clear()


def give_mfa(user: User) -> None:
    if user.requires_mfa:
        Authenticator.objects.get_or_create(
            user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
        )


@pytest.fixture
def login() -> Callable[[User], Client]:
    def _login(user: User) -> Client:
        give_mfa(user)
        client = Client()
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def bearer() -> Callable[..., Client]:
    def make(user: User, scope: str = "write") -> Client:
        _token, secret = core_actions.create_token(
            user, name=f"{user.email} {scope}", scope=scope, expires_in_days=30
        )
        return Client(headers={"Authorization": f"Bearer {secret}"})

    return make


def metadata_header(values: dict[str, str]) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in values.items())


@dataclass
class Tus:
    """The tus protocol spoken through a Django test client."""

    client: Client

    def create(self, length: int, **metadata: str) -> Any:
        headers = {**TUS, "Upload-Length": str(length)}
        if metadata:
            headers["Upload-Metadata"] = metadata_header(metadata)
        return self.client.post(ENDPOINT, headers=headers)

    def head(self, location: str) -> Any:
        return self.client.head(location, headers=TUS)

    def patch(self, location: str, offset: int, data: bytes, **headers: str) -> Any:
        return self.client.generic(
            "PATCH", location, data, content_type="application/offset+octet-stream",
            headers={**TUS, "Upload-Offset": str(offset), **headers},
        )  # fmt: skip

    def delete(self, location: str) -> Any:
        return self.client.delete(location, headers=TUS)

    def send(self, data: bytes, chunk: int = 1000, **metadata: str) -> Any:
        """Create and send ``data`` in chunks; the last PATCH's response."""
        created = self.create(len(data), **metadata)
        assert created.status_code == 201, created.content
        location = created["Location"]
        response = created
        for start in range(0, len(data), chunk):
            response = self.patch(location, start, data[start : start + chunk])
            assert response.status_code == 204, response.content
        return response


@pytest.fixture
def tus() -> Callable[[Client], Tus]:
    return Tus


def upload_file(user: User, organisation: Organisation, data: bytes, **metadata: str) -> Item:
    """An item made through the actions (what a finished tus upload does), bytes written by
    the same code as a PATCH."""
    import io

    from justicework.evidence.intake.receive import receive
    from justicework.evidence.storage import store

    upload = actions.create_upload(user, organisation, length=len(data), metadata=metadata)
    path = store().part_path(upload.pk)
    offset, states = receive(upload, path, io.BytesIO(data), len(data), None)
    assert actions.advance_upload(user, upload, offset=offset, states=states)
    return actions.complete_upload(user, upload)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def upload_of(location: str) -> Upload:
    return Upload.objects.get(pk=location.rstrip("/").rsplit("/", 1)[-1])


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """moto's S3 server on a free loopback port, one per test process."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(params=["local", "s3", "local-sealed", "s3-sealed"])
def backend(request: Any, settings: Any) -> str:
    """The vault on local files or in a fresh S3 bucket, originals plain or sealed: a test
    that takes it runs four times."""
    settings.EVIDENCE_ENCRYPT = request.param.endswith("-sealed")
    if request.param.startswith("s3"):
        from .storage.conftest import use_bucket

        use_bucket(settings, request.getfixturevalue("s3_endpoint"))
    return str(request.param)
