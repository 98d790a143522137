"""Originals in S3 (moto's server on loopback): intake through tus, deduplication, reading back
for packages and provenance, object lock, put-once, removal."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from justicework.evidence.actions import extract_provenance
from justicework.evidence.actions import packages as package_actions
from justicework.evidence.models import Item, Original
from justicework.evidence.storage import S3Store, StorageError, store
from justicework.evidence.storage.originals import open_original

from ..conftest import sha256, upload_file, upload_of
from ..packages.conftest import cli_verify, standalone_verify
from ..provenance import files
from .conftest import s3_client, use_bucket

pytestmark = pytest.mark.django_db


def _object(settings, key: str) -> dict:
    client = s3_client(settings.EVIDENCE_S3_ENDPOINT_URL)
    return client.head_object(Bucket=settings.EVIDENCE_S3_BUCKET, Key=key)


def test_a_tus_upload_lands_in_the_bucket_locked_and_nothing_stays_local(
    bucket, settings, documenter, bearer, tus
):
    data = os.urandom(150_000)
    response = tus(bearer(documenter)).send(data, chunk=40_000, filename="clip.bin")
    assert response["Evidence-Sha256"] == sha256(data)
    original = Original.objects.get()
    assert isinstance(store(), S3Store) and original.backend == "s3"
    assert (
        original.storage_key == f"originals/{sha256(data)[:2]}/{sha256(data)[2:4]}/{sha256(data)}"
    )
    head = _object(settings, original.storage_key)
    assert head["ContentLength"] == len(data)
    assert head["ObjectLockMode"] == "COMPLIANCE"
    retained = head["ObjectLockRetainUntilDate"] - dt.datetime.now(dt.UTC)
    assert dt.timedelta(days=29) < retained <= dt.timedelta(days=30)
    assert original.lock_mode == "COMPLIANCE"
    assert original.retain_until == head["ObjectLockRetainUntilDate"]
    assert not list((Path(settings.EVIDENCE_DIR) / "originals").rglob("*"))
    assert not list((Path(settings.EVIDENCE_DIR) / "uploads").glob("*"))
    with open_original(original) as stream:
        assert hashlib.sha256(stream.read()).hexdigest() == sha256(data)
    assert upload_of(response.wsgi_request.path).item == Item.objects.get()


def test_the_same_bytes_twice_are_one_object_and_two_items(
    bucket, settings, documenter, outsider, acme, beacon
):
    data = b"the same bytes " * 1000
    first = upload_file(documenter, acme, data, filename="a.txt")
    second = upload_file(outsider, beacon, data, filename="b.txt")
    assert first.original_id == second.original_id
    client = s3_client(settings.EVIDENCE_S3_ENDPOINT_URL)
    listed = client.list_object_versions(Bucket=settings.EVIDENCE_S3_BUCKET)
    assert [v["Key"] for v in listed["Versions"]] == [first.original.storage_key]


def test_a_large_file_goes_in_parts_and_reads_back_with_seeks(bucket, settings, documenter, acme):
    settings.EVIDENCE_S3_PART_BYTES = 5 << 20
    data = os.urandom((5 << 20) * 2 + 12345)
    item = upload_file(documenter, acme, data, filename="big.bin")
    head = _object(settings, item.original.storage_key)
    assert head["ContentLength"] == len(data)
    assert head["ObjectLockMode"] == "COMPLIANCE"  # set after the parts when the store drops it
    with open_original(item.original) as stream:
        stream.seek(len(data) - 100)
        assert stream.read() == data[-100:]
        stream.seek(7)
        assert stream.read(10) == data[7:17]
        stream.seek(0)
        assert hashlib.sha256(stream.read()).hexdigest() == sha256(data)


def test_packages_and_provenance_read_from_the_bucket(bucket, documenter, acme, tmp_path):
    picture = files.jpeg_with_exif(
        files.picture(3), make="Nikon", model="S3", taken="2024:01:02 03:04:05"
    )
    item = upload_file(documenter, acme, picture, filename="p.jpg")
    row = extract_provenance(item.original)
    assert row.metadata["camera_make"] == "Nikon" and row.phash is not None
    out = tmp_path / "package.zip"
    package_actions.package_items(documenter, acme, [item], out)
    assert cli_verify(out) == (0, [])
    status, output = standalone_verify(out)
    assert status == 0 and "VALID: 1 file(s)" in output, output


def test_an_existing_key_is_never_overwritten_even_in_a_race(
    bucket, settings, documenter, acme, tmp_path, monkeypatch
):
    item = upload_file(documenter, acme, b"first writer", filename="a.txt")
    key = item.original.storage_key
    other = tmp_path / "other"
    other.write_bytes(b"second writer")
    stored = store()
    assert stored.put_once(key, other) is False
    monkeypatch.setattr(S3Store, "exists", lambda self, name: False)  # the HEAD saw nothing
    assert stored.put_once(key, other) is False  # If-None-Match: * answered 412
    with open_original(item.original) as stream:
        assert stream.read() == b"first writer"
    client = s3_client(settings.EVIDENCE_S3_ENDPOINT_URL)
    with pytest.raises(ClientError) as refused:
        client.put_object(Bucket=settings.EVIDENCE_S3_BUCKET, Key=key, Body=b"x", IfNoneMatch="*")
    assert refused.value.response["Error"]["Code"] == "PreconditionFailed"


def test_a_bucket_without_object_lock(settings, s3_endpoint, documenter, acme):
    use_bucket(settings, s3_endpoint, lock=False)
    item = upload_file(documenter, acme, b"no lock here", filename="a.txt")
    assert (item.original.lock_mode, item.original.retain_until) == ("", None)
    settings.EVIDENCE_S3_OBJECT_LOCK = "on"
    with pytest.raises(StorageError, match="has no object lock"):
        upload_file(documenter, acme, b"lock required", filename="b.txt")
    assert Original.objects.count() == 1


def test_compliance_retention_refuses_removal(bucket, settings, documenter, acme):
    item = upload_file(documenter, acme, b"under compliance", filename="a.txt")
    with pytest.raises(StorageError, match="compliance retention until"):
        store().remove(item.original.storage_key)
    assert store().exists(item.original.storage_key)


def test_governance_retention_needs_the_bypass_setting(settings, s3_endpoint, documenter, acme):
    use_bucket(settings, s3_endpoint, EVIDENCE_S3_LOCK_MODE="GOVERNANCE")
    item = upload_file(documenter, acme, b"under governance", filename="a.txt")
    key = item.original.storage_key
    with pytest.raises(StorageError, match="EVIDENCE_S3_GOVERNANCE_BYPASS"):
        store().remove(key)
    assert store().exists(key)
    settings.EVIDENCE_S3_GOVERNANCE_BYPASS = True
    store().remove(key)
    assert not store().exists(key)
    client = s3_client(s3_endpoint)
    listed = client.list_object_versions(Bucket=settings.EVIDENCE_S3_BUCKET, Prefix=key)
    assert not listed.get("Versions") and not listed.get("DeleteMarkers")


def test_removal_without_lock_deletes_every_version(settings, s3_endpoint, documenter, acme):
    use_bucket(settings, s3_endpoint, lock=False)
    item = upload_file(documenter, acme, b"removable", filename="a.txt")
    store().remove(item.original.storage_key)
    assert not store().exists(item.original.storage_key)
    store().remove(item.original.storage_key)  # a missing key is no error
    client = s3_client(s3_endpoint)
    listed = client.list_object_versions(Bucket=settings.EVIDENCE_S3_BUCKET)
    assert not listed.get("Versions") and not listed.get("DeleteMarkers")


def test_the_item_page_says_how_the_original_is_stored(bucket, settings, documenter, acme, login):
    settings.EVIDENCE_ENCRYPT = True
    item = upload_file(documenter, acme, b"sealed and locked", filename="a.txt")
    page = login(documenter).get(f"/evidence/items/{item.pk}/").content.decode()
    stored = page.split('id="stored">', 1)[1].split("</dd>", 1)[0]
    assert "encrypted with the organisation's key" in stored
    assert "write-once (compliance retention)" in stored
    assert item.original.retain_until.date().isoformat() in stored
