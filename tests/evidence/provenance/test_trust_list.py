"""The configured C2PA trust list (``EVIDENCE_C2PA_TRUST_LIST``, a PEM file of signer roots):
a manifest whose signer chains to a listed root reads "trusted" with no finding; one signed by
a signer of another root is still valid with the finding "untrusted signer", not an error; a
list that cannot be read is a finding and the file is read without it; a bad setting fails at
start. All offline: the test CA and signers are generated here."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.urls import reverse

from justicework.evidence.actions import extract_provenance
from justicework.evidence.provenance import labels

from ..conftest import upload_file
from . import files, signing
from .signing import sign_jpeg

pytestmark = pytest.mark.django_db


def codes(row):
    return [finding["code"] for finding in row.findings]


def _root_pem() -> bytes:
    chain, _key = signing.credentials()
    return chain[chain.index(b"-----BEGIN CERTIFICATE-----", 10) :]


def _other_root_pem() -> bytes:
    """The root of another CA, made afresh (the cached test CA stays the signer's)."""
    chain, _key = signing.credentials.__wrapped__()
    return chain[chain.index(b"-----BEGIN CERTIFICATE-----", 10) :]


@pytest.fixture
def signed(documenter, acme):
    return upload_file(documenter, acme, sign_jpeg(files.encode(files.picture(81), "JPEG")),
                       filename="signed.jpg")  # fmt: skip


def test_a_signer_under_a_listed_root_is_trusted(signed, settings, tmp_path, analyst, login):
    trust = tmp_path / "trust.pem"
    trust.write_bytes(_other_root_pem() + _root_pem())  # several roots in one file
    settings.EVIDENCE_C2PA_TRUST_LIST = str(trust)
    row = extract_provenance(signed.original)
    assert row.credentials["state"] == "trusted" and row.credentials["failures"] == []
    assert not {"c2pa_untrusted", "c2pa_invalid"} & set(codes(row))
    page = login(analyst).get(reverse("evidence:item_detail", args=[signed.pk])).content.decode()
    assert "Valid, signer trusted" in page


def test_a_signer_under_another_root_is_the_finding_untrusted_signer(signed, settings, tmp_path):
    trust = tmp_path / "trust.pem"
    trust.write_bytes(_other_root_pem())
    settings.EVIDENCE_C2PA_TRUST_LIST = str(trust)
    row = extract_provenance(signed.original)
    assert row.credentials["state"] == "valid"  # not an error: the signature verifies
    assert row.credentials["failures"] == ["signingCredential.untrusted"]
    assert "c2pa_untrusted" in codes(row) and "c2pa_invalid" not in codes(row)
    assert str(labels.FINDINGS["c2pa_untrusted"]).startswith("Untrusted signer")


def test_a_tampered_file_is_invalid_even_under_a_listed_root(documenter, acme, settings, tmp_path):
    trust = tmp_path / "trust.pem"
    trust.write_bytes(_root_pem())
    settings.EVIDENCE_C2PA_TRUST_LIST = str(trust)
    data = bytearray(sign_jpeg(files.encode(files.picture(82), "JPEG")))
    data[-2000] ^= 0xFF
    row = extract_provenance(upload_file(documenter, acme, bytes(data), filename="t.jpg").original)
    assert row.credentials["state"] == "invalid" and "c2pa_invalid" in codes(row)


def test_an_unreadable_trust_list_is_a_finding(signed, settings, tmp_path):
    settings.EVIDENCE_C2PA_TRUST_LIST = str(tmp_path / "gone.pem")
    row = extract_provenance(signed.original)
    assert "c2pa_trust_list_unreadable" in codes(row) and row.credentials["state"] == "valid"


def test_a_setting_that_names_no_pem_file_fails_at_start(tmp_path):
    bad = tmp_path / "not.pem"
    bad.write_text("hello")
    for value in (str(bad), str(tmp_path / "missing.pem")):
        done = subprocess.run(
            [sys.executable, "-c", "import justicework.settings"],
            env={**os.environ, "JUSTICEWORK_EVIDENCE_C2PA_TRUST_LIST": value},
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert done.returncode != 0 and "JUSTICEWORK_EVIDENCE_C2PA_TRUST_LIST" in done.stderr
