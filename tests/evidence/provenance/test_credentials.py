"""C2PA Content Credentials: none (a finding), a valid manifest signed offline with a test CA
(signer, claimed capture, history; untrusted signer a finding), a tampered file (invalid, a
finding), a damaged manifest (unreadable, a finding); shown on the item page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from justicework.evidence.actions import extract_provenance

from ..conftest import upload_file
from . import files
from .signing import sign_jpeg

pytestmark = pytest.mark.django_db


def codes(row):
    return [finding["code"] for finding in row.findings]


def test_a_file_without_manifest_is_the_finding_no_manifest(documenter, acme):
    data = files.encode(files.picture(31), "JPEG")
    row = extract_provenance(upload_file(documenter, acme, data, filename="p.jpg").original)
    assert row.credentials == {"state": "none"} and "c2pa_none" in codes(row)


def test_a_signed_picture_shows_signer_capture_and_history(documenter, acme, analyst, login):
    data = sign_jpeg(files.encode(files.picture(32), "JPEG"))
    item = upload_file(documenter, acme, data, filename="signed.jpg")
    row = extract_provenance(item.original)
    c = row.credentials
    assert c["state"] == "valid" and c["signer"] == "Test field camera"
    assert c["issuer"] == "JusticeWork test CA" and c["generator"] == "JusticeWork tests"
    assert c["captured"] == "2024-05-01T12:00:00Z"
    assert [a["action"] for a in c["actions"]] == ["c2pa.created"]
    assert c["failures"] == ["signingCredential.untrusted"]
    assert "c2pa_untrusted" in codes(row) and "c2pa_invalid" not in codes(row)
    assert row.phash is not None  # the picture is still hashed
    html = login(analyst).get(reverse("evidence:item_detail", args=[item.pk])).content.decode()
    assert "Valid (signer not on a trust list)" in html and "Test field camera" in html
    assert "c2pa.created" in html and "digitalCapture" in html


def test_a_tampered_signed_picture_is_invalid(documenter, acme, analyst, login):
    data = bytearray(sign_jpeg(files.encode(files.picture(33), "JPEG")))
    data[-2000] ^= 0xFF  # one byte of the picture's data, after the manifest
    item = upload_file(documenter, acme, bytes(data), filename="tampered.jpg")
    row = extract_provenance(item.original)
    assert row.credentials["state"] == "invalid"
    assert "assertion.dataHash.mismatch" in row.credentials["failures"]
    assert "c2pa_invalid" in codes(row)
    html = login(analyst).get(reverse("evidence:item_detail", args=[item.pk])).content.decode()
    assert "do not validate" in html and "badge--error" in html


def test_a_damaged_manifest_is_a_finding(documenter, acme):
    signed = sign_jpeg(files.encode(files.picture(34), "JPEG"))
    start = signed.find(b"jumb")
    assert start > 0
    damaged = signed[: start + 40] + b"\x00" * 200 + signed[start + 240 :]
    row = extract_provenance(upload_file(documenter, acme, damaged, filename="d.jpg").original)
    assert row.credentials["state"] in {"invalid", "unreadable"}
    assert {"c2pa_invalid", "c2pa_unreadable"} & set(codes(row))
