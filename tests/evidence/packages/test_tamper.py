"""Tampered packages: ``justicework evidence verify`` and the shipped ``verify.py`` find the same
problems, name the file, hash or field, and exit non-zero."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from justicework.evidence.packages import signing

from .conftest import cli_verify, problems_of, rewrite, standalone_verify


def _first_file(package: Path) -> str:
    with zipfile.ZipFile(package) as archive:
        return str(json.loads(archive.read("manifest.json"))["items"][0]["file"]["path"])


def _both(path: Path, *extra: str) -> list[str]:
    """Both verifiers' problems (asserted identical, and both failing)."""
    status, problems = cli_verify(path, *extra)
    standalone_status, output = standalone_verify(path, *extra)
    assert status == 1 and standalone_status == 1, output
    assert problems_of(output) == problems
    return problems


def _other_key_signature(data: bytes) -> bytes:
    return Ed25519PrivateKey.generate().sign(data)


def test_a_changed_byte_names_the_file_and_both_hashes(package, tmp_path):
    path = _first_file(package)

    def flip(name: str, data: bytes) -> bytes:
        return data[:5] + bytes([data[5] ^ 1]) + data[6:] if name == path else data

    problems = _both(rewrite(package, tmp_path / "t.zip", flip))
    assert len(problems) == 2
    assert problems[0].startswith(f"PROBLEM: {path}: SHA-256 is ")
    assert problems[1].startswith(f"PROBLEM: {path}: SHA-512 is ")


def test_a_changed_byte_in_the_raw_zip_is_found_too(package, tmp_path):
    path = _first_file(package)
    with zipfile.ZipFile(package) as archive:
        info = archive.getinfo(path)
    raw = bytearray(package.read_bytes())
    at = info.header_offset  # the local header's own name and extra lengths
    name_length = int.from_bytes(raw[at + 26 : at + 28], "little")
    extra_length = int.from_bytes(raw[at + 28 : at + 30], "little")
    start = at + 30 + name_length + extra_length
    raw[start + 3] ^= 0xFF  # the stored bytes change, the ZIP's own CRC is left as it was
    target = tmp_path / "raw.zip"
    target.write_bytes(bytes(raw))
    problems = _both(target)
    assert [p.split(" is ")[0] for p in problems] == [
        f"PROBLEM: {path}: SHA-256", f"PROBLEM: {path}: SHA-512",
    ]  # fmt: skip


def test_a_missing_file(package, tmp_path):
    path = _first_file(package)
    problems = _both(rewrite(package, tmp_path / "t.zip", lambda n, d: None if n == path else d))
    assert problems == [f"PROBLEM: {path}: listed in the manifest but missing from the package"]


def test_an_added_file(package, tmp_path):
    target = rewrite(package, tmp_path / "t.zip", lambda n, d: d, add={"files/extra.txt": b"x"})
    assert _both(target) == [
        "PROBLEM: files/extra.txt: in the package but not listed in the manifest"
    ]


def test_an_edited_manifest(package, tmp_path):
    def edit(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        return data.replace(b'"status": "unverified"', b'"status": "verified"', 1)

    problems = _both(rewrite(package, tmp_path / "t.zip", edit))
    with zipfile.ZipFile(package) as archive:
        first = json.loads(archive.read("manifest.json"))["items"][0]["id"]
    assert problems == [
        "PROBLEM: manifest.sig: the signature of manifest.json fails with the package's "
        "public-key.pem",
        # the status is also checked against the custody log (no status change recorded)
        f"PROBLEM: item {first}: status is verified, the custody log says unverified",
    ]


def test_a_wrong_signature(package, tmp_path):
    def resign(name: str, data: bytes) -> bytes:
        return b"\0" * 64 if name == "manifest.sig" else data

    problems = _both(rewrite(package, tmp_path / "t.zip", resign))
    assert problems == [
        "PROBLEM: manifest.sig: the signature of manifest.json fails with the package's "
        "public-key.pem"
    ]


def test_a_package_re_signed_with_another_key_fails_only_against_the_trusted_key(package, tmp_path):
    forger = Ed25519PrivateKey.generate()
    with zipfile.ZipFile(package) as archive:
        manifest = archive.read("manifest.json").replace(b'"Ana"', b'"Bob"')
    forged_pem = forger.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    replace = {"manifest.json": manifest, "manifest.sig": forger.sign(manifest),
               "public-key.pem": forged_pem}  # fmt: skip
    target = rewrite(package, tmp_path / "t.zip", lambda n, d: replace.get(n, d))
    assert cli_verify(target)[0] == 1  # the manifest lists the original key's SHA-256
    trusted = tmp_path / "trusted.pem"
    trusted.write_bytes(signing.public_pem())
    problems = _both(target, "--key", str(trusted))
    assert "PROBLEM: public-key.pem: is not the trusted key given with --key" in problems
    assert (
        "PROBLEM: manifest.sig: the signature of manifest.json fails with the trusted key"
        in problems
    )


def test_an_edited_custody_entry_with_a_valid_signature_is_found(package, tmp_path, settings):
    """Someone holding the key (or a bug) cannot hide an edited custody log."""
    with zipfile.ZipFile(package) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    manifest["items"][0]["custody"][0]["actor_label"] = "someone else"
    raw = json.dumps(manifest).encode()
    replace = {"manifest.json": raw, "manifest.sig": signing.sign(raw)}
    target = rewrite(package, tmp_path / "t.zip", lambda n, d: replace.get(n, d))
    item = manifest["items"][0]["id"]
    assert _both(target) == [
        f"PROBLEM: item {item}: custody entry 1: hash does not match the entry's content"
    ]


def test_a_wrong_timestamp(package, tmp_path):
    """A timestamp token of other bytes: its imprint is not the manifest's SHA-256."""
    pytest.importorskip("rfc3161_client")
    from .tsa import token_for_other_data

    token = token_for_other_data(tmp_path)
    if token is None:
        pytest.skip("the openssl binary is missing: no local timestamp authority")
    target = rewrite(package, tmp_path / "t.zip", lambda n, d: d, add={"manifest.tsr": token})
    problems = _both(target)
    assert len(problems) == 1
    assert problems[0].startswith("PROBLEM: manifest.tsr: message imprint ")
    assert "is not the SHA-256 of manifest.json" in problems[0]


@pytest.mark.parametrize("missing", ["manifest.json", "manifest.sig", "public-key.pem"])
def test_a_missing_fixed_member(missing, package, tmp_path):
    target = rewrite(package, tmp_path / "t.zip", lambda n, d: None if n == missing else d)
    problems = _both(target)
    assert any(p.startswith(f"PROBLEM: {missing}: missing") for p in problems)


def test_not_a_zip(tmp_path):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    status, output = standalone_verify(bad, verifier=Path(signing.__file__).with_name("verify.py"))
    assert status == 2 and "cannot verify" in output
