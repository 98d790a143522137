"""tus creation (POST), OPTIONS and the refusals of a creation request: each a clear message
and nothing created."""

from __future__ import annotations

import pytest

from justicework.audit.models import AuditEntry
from justicework.evidence.models import Item, Upload

from ..conftest import ENDPOINT, TUS, metadata_header, sha256


def test_options_tells_the_version_extensions_and_limits(client, settings):
    response = client.options(ENDPOINT)
    assert response.status_code == 204
    assert response["Tus-Version"] == "1.0.0"
    assert response["Tus-Extension"] == "creation,checksum,termination,expiration"
    assert response["Tus-Max-Size"] == str(settings.EVIDENCE_MAX_UPLOAD_BYTES)
    assert "sha256" in response["Tus-Checksum-Algorithm"].split(",")


def test_the_default_maximum_allows_files_over_10_gb(settings):
    assert settings.EVIDENCE_MAX_UPLOAD_BYTES >= 10 * 10**9


def test_creation_answers_201_with_location_and_audits(documenter, login, tus, vault):
    response = tus(login(documenter)).create(1234, filename="clip.mp4", collector="A. Field")
    assert response.status_code == 201
    upload = Upload.objects.get()
    assert response["Location"].endswith(f"/api/v1/evidence/uploads/{upload.pk}")
    assert response["Upload-Offset"] == "0" and response["Tus-Resumable"] == "1.0.0"
    assert "Upload-Expires" in response
    assert (upload.length, upload.offset, upload.uploader) == (1234, 0, documenter)
    assert upload.metadata["collector"] == "A. Field"
    entry = AuditEntry.objects.get(action="evidence.upload.started")
    assert entry.diff["length"] == 1234 and entry.diff["name"] == "clip.mp4"
    assert (vault / "uploads" / f"{upload.pk.hex}.part").exists()


def test_a_request_without_tus_resumable_is_412(documenter, login):
    response = login(documenter).post(ENDPOINT, headers={"Upload-Length": "10"})
    assert response.status_code == 412 and response["Tus-Version"] == "1.0.0"


@pytest.mark.parametrize(
    ("headers", "status", "says"),
    [
        ({}, 400, "Upload-Length must be a whole number"),
        ({"Upload-Length": "-5"}, 400, "Upload-Length must be a whole number"),
        ({"Upload-Length": "ten"}, 400, "Upload-Length must be a whole number"),
        ({"Upload-Defer-Length": "1"}, 400, "deferred lengths are not supported"),
        ({"Upload-Length": "10", "Upload-Metadata": "filename ***"}, 400, "not base 64"),
    ],
)
def test_bad_creation_headers_are_refused(documenter, login, headers, status, says):
    response = login(documenter).post(ENDPOINT, headers={**TUS, **headers})
    assert response.status_code == status
    assert says in response.content.decode()
    assert not Upload.objects.exists()


@pytest.mark.parametrize(
    ("metadata", "key", "says"),
    [
        ({"collected_at": "2024-03-01T10:00:00"}, "collected_at", "time zone"),
        ({"collected_at": "yesterday"}, "collected_at", "ISO 8601"),
        ({"collected_at": "2999-01-01T00:00:00+00:00"}, "collected_at", "future"),
        ({"source_url": "javascript:alert(1)"}, "source_url", "https://"),
        ({"sha256": "abc"}, "sha256", "64 hexadecimal"),
        ({"sha256_at_collection": "z" * 64}, "sha256_at_collection", "64 hexadecimal"),
        ({"collector": "x" * 201}, "collector", "At most 200"),
    ],
)
def test_a_bad_collection_record_is_refused_naming_the_field(
    documenter, login, metadata, key, says
):
    response = login(documenter).post(
        ENDPOINT,
        headers={**TUS, "Upload-Length": "10", "Upload-Metadata": metadata_header(metadata)},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert text.startswith(f"{key}:") and says in text
    assert not Upload.objects.exists()


def test_a_file_over_the_maximum_size_is_413(documenter, login, tus, settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 1000
    response = tus(login(documenter)).create(1001)
    assert response.status_code == 413
    assert "1,001 bytes; the largest allowed is 1,000 bytes" in response.content.decode()
    assert not Upload.objects.exists()


def test_the_quota_counts_stored_originals_and_uploads_in_progress(
    documenter, login, tus, settings
):
    settings.EVIDENCE_QUOTA_BYTES = 5000
    speaker = tus(login(documenter))
    speaker.send(b"a" * 3000, chunk=3000)
    assert speaker.create(1500).status_code == 201  # 4,500 of 5,000
    refused = speaker.create(501)
    assert refused.status_code == 413
    text = refused.content.decode()
    assert (
        "storage quota" in text and "4,500 of 5,000 bytes" in text and "Nothing was stored" in text
    )
    assert Upload.objects.count() == 2


def test_the_quota_is_per_organisation(documenter, outsider, login, tus, settings):
    settings.EVIDENCE_QUOTA_BYTES = 5000
    tus(login(documenter)).send(b"b" * 4000, chunk=4000)
    assert tus(login(outsider)).create(4000).status_code == 201


def test_an_empty_file_is_complete_at_creation(documenter, login, tus):
    response = tus(login(documenter)).create(0, filename="empty.txt")
    assert response.status_code == 201
    item = Item.objects.get()
    assert item.original.sha256 == sha256(b"") and item.original.size == 0
    assert response["Evidence-Sha256"] == sha256(b"")
