"""Fixtures that point the vault at a fresh bucket of the local S3 server (moto's server mode
on a free loopback port, one per test process: ``s3_endpoint`` in ``tests/evidence/conftest``,
shared by every evidence test that runs on both backends)."""

from __future__ import annotations

import itertools
from typing import Any

import boto3
import pytest

_buckets = itertools.count(1)


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
