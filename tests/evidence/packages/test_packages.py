"""Making a package: its members, manifest, signature, custody "exported", audit, permissions."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from justicework.audit.models import AuditEntry
from justicework.evidence.actions import packages as package_actions
from justicework.evidence.models import CustodyEntry, Item
from justicework.evidence.packages import signing

from .conftest import cli_verify, standalone_verify, two_items


def test_a_package_holds_files_manifest_signature_key_and_verifier(package):
    with zipfile.ZipFile(package) as archive:
        names = set(archive.namelist())
        manifest_bytes = archive.read("manifest.json")
        manifest = json.loads(manifest_bytes)
        key = serialization.load_pem_public_key(archive.read("public-key.pem"))
        assert isinstance(key, Ed25519PublicKey)
        key.verify(archive.read("manifest.sig"), manifest_bytes)  # raises if it does not hold
        first = manifest["items"][0]
        assert archive.read(first["file"]["path"]) == b"first file\n" * 100
    assert {"manifest.json", "manifest.sig", "public-key.pem", "verify.py", "README.txt"} <= names
    assert "manifest.tsr" not in names  # no authority is set
    second = manifest["items"][1]["file"]
    assert second["path"] == f"files/{second['sha256']}/two.png"  # the name neutralised
    assert second["sha512"] == hashlib.sha512(b"\x89PNG second" * 50).hexdigest()
    assert manifest["creator"]["email"] == "documenter@acme.test"
    assert first["collection"]["collector"] == "Ana"
    assert [e["event"] for e in first["custody"]] == ["collected", "received", "exported"]
    assert manifest["instance"]["public_key_sha256"] == signing.fingerprint()


def test_packaging_writes_custody_and_audit_and_both_verifiers_accept_it(package):
    assert CustodyEntry.objects.filter(event="exported").count() == 2
    audit = AuditEntry.objects.get(action="evidence.package")
    assert len(audit.diff["item_ids"]) == 2 and len(audit.diff["manifest_sha256"]) == 64
    assert cli_verify(package) == (0, [])
    status, output = standalone_verify(package)
    assert status == 0, output
    assert "VALID: 2 file(s)" in output


def test_the_trusted_key_option(package, tmp_path):
    trusted = tmp_path / "trusted.pem"
    trusted.write_bytes(signing.public_pem())
    assert cli_verify(package, "--key", str(trusted)) == (0, [])
    assert standalone_verify(package, "--key", str(trusted))[0] == 0


def test_the_command_packages_chosen_items(documenter, acme, tmp_path):
    items = two_items(documenter, acme)
    out = tmp_path / "chosen.zip"
    stdout = io.StringIO()
    call_command(
        "evidence", "package", "--out", str(out), "--items", str(items[1].pk),
        "--organisation", acme.slug, "--as", documenter.email, stdout=stdout,
    )  # fmt: skip
    assert "1 item(s)" in stdout.getvalue()
    with zipfile.ZipFile(out) as archive:
        assert [i["id"] for i in json.loads(archive.read("manifest.json"))["items"]] == [
            items[1].pk
        ]
    everything = tmp_path / "all.zip"
    call_command(
        "evidence", "package", "--out", str(everything), "--all",
        "--organisation", acme.slug, "--as", documenter.email, stdout=io.StringIO(),
    )  # fmt: skip
    assert cli_verify(everything) == (0, [])


@pytest.mark.parametrize("who", ["viewer", "reviewer", "officer", "coordinator", "outsider"])
def test_who_may_not_open_evidence_may_not_package_it(who, cast, tmp_path):
    items = two_items(cast.documenter, cast.acme)
    user = getattr(cast, who)
    with pytest.raises(PermissionDenied):
        package_actions.select_items(user, cast.acme, [items[0].pk])
    with pytest.raises(PermissionDenied):
        package_actions.package_items(user, cast.acme, items, tmp_path / "no.zip")
    assert not (tmp_path / "no.zip").exists()
    assert not CustodyEntry.objects.filter(event="exported").exists()


@pytest.mark.parametrize("who", ["admin", "analyst", "documenter"])
def test_the_roles_that_open_evidence_may_package_it(who, cast, tmp_path):
    items = two_items(cast.documenter, cast.acme)
    user = getattr(cast, who)
    chosen = package_actions.select_items(user, cast.acme, [items[0].pk])
    package_actions.package_items(user, cast.acme, chosen, tmp_path / "yes.zip")
    assert cli_verify(tmp_path / "yes.zip") == (0, [])


def test_another_organisations_item_is_refused_without_saying_it_exists(cast, tmp_path):
    theirs = two_items(cast.outsider, cast.beacon)[0]
    with pytest.raises(ValidationError, match=str(theirs.pk)):
        package_actions.select_items(cast.documenter, cast.acme, [theirs.pk])
    with pytest.raises(CommandError, match="No evidence item you may package"):
        call_command(
            "evidence", "package", "--out", str(tmp_path / "x.zip"), "--items", str(theirs.pk),
            "--organisation", cast.acme.slug, "--as", cast.documenter.email,
        )  # fmt: skip
    assert not (tmp_path / "x.zip").exists()


def test_the_command_refuses_bad_input_and_changes_nothing(documenter, acme, tmp_path):
    two_items(documenter, acme)
    tmp_path = tmp_path / "out"  # beside the vault
    tmp_path.mkdir()
    existing = tmp_path / "there.zip"
    existing.write_bytes(b"keep me")
    base = ["evidence", "package", "--organisation", acme.slug, "--as", documenter.email]
    with pytest.raises(CommandError, match="exists already"):
        call_command(*base, "--out", str(existing), "--all")
    with pytest.raises(CommandError, match="numbers separated by commas"):
        call_command(*base, "--out", str(tmp_path / "a.zip"), "--items", "1,x")
    with pytest.raises(CommandError, match="No active user"):
        call_command(
            "evidence", "package", "--out", str(tmp_path / "b.zip"), "--all", "--as", "no@x.test"
        )
    assert existing.read_bytes() == b"keep me"
    assert not CustodyEntry.objects.filter(event="exported").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["there.zip"]


def test_a_failure_while_finishing_leaves_no_package_and_no_custody(
    documenter, acme, tmp_path, monkeypatch
):
    items = list(Item.objects.filter(pk__in=[i.pk for i in two_items(documenter, acme)]))
    tmp_path = tmp_path / "out"  # beside the vault
    tmp_path.mkdir()

    def broken(data: bytes) -> bytes:
        raise OSError("disk full")

    monkeypatch.setattr(signing, "sign", broken)
    with pytest.raises(OSError, match="disk full"):
        package_actions.package_items(documenter, acme, items, tmp_path / "p.zip")
    assert list(tmp_path.iterdir()) == []  # neither the package nor its temporary file
    assert not CustodyEntry.objects.filter(event="exported").exists()
    assert not AuditEntry.objects.filter(action="evidence.package").exists()


def test_the_signing_key_file_is_private_and_kept(settings):
    key_file = Path(settings.DATA_DIR) / "evidence-signing.key"
    first = signing.public_pem()
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert signing.public_pem() == first


def test_the_public_key_is_published_at_the_well_known_address(client, package):
    response = client.get("/.well-known/justicework/evidence-key")
    assert response.status_code == 200 and response["X-Key-SHA256"] == signing.fingerprint()
    with zipfile.ZipFile(package) as archive:
        assert response.content == archive.read("public-key.pem")
    assert client.post("/.well-known/justicework/evidence-key").status_code == 405
