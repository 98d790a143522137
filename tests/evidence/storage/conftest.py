"""A local S3 server (moto's server mode on a free loopback port, one per test process) and
fixtures that point the vault at a fresh bucket of it."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

_buckets = itertools.count(1)


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def s3_client(endpoint: str) -> Any:
    return boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1",
        aws_access_key_id="test", aws_secret_access_key="test",
    )  # fmt: skip


def use_bucket(settings: Any, endpoint: str, *, lock: bool = True, **more: Any) -> str:
    """Create a fresh bucket (with object lock, unless ``lock`` is False) and point the vault's
    settings at it; its name."""
    bucket = f"vault-{next(_buckets)}-{id(settings) % 10**6}"
    s3_client(endpoint).create_bucket(Bucket=bucket, ObjectLockEnabledForBucket=lock)
    settings.EVIDENCE_STORAGE = "s3"
    settings.EVIDENCE_S3_BUCKET = bucket
    settings.EVIDENCE_S3_ENDPOINT_URL = endpoint
    settings.EVIDENCE_S3_ACCESS_KEY_ID = "test"
    settings.EVIDENCE_S3_SECRET_ACCESS_KEY = "test"
    settings.EVIDENCE_S3_OBJECT_LOCK = "auto"
    settings.EVIDENCE_S3_LOCK_MODE = "COMPLIANCE"
    settings.EVIDENCE_S3_RETENTION_DAYS = 30
    for name, value in more.items():
        setattr(settings, name, value)
    return bucket


@pytest.fixture
def bucket(settings: Any, s3_endpoint: str) -> str:
    return use_bucket(settings, s3_endpoint)
