"""The manifest carries each item's metadata claims and C2PA result (issue 12: "hashes, sizes,
metadata, collection records, custody log, verification findings, C2PA results"); both
verifiers still verify, and an edit of those fields breaks the signature."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from justicework.demo import evidence_media as media
from justicework.evidence.actions import packages as package_actions
from justicework.evidence.actions.provenance import extract_provenance
from justicework.evidence.packages import manifest as manifests
from justicework.evidence.packages import signing

from ..conftest import upload_file
from .conftest import cli_verify, problems_of, rewrite, standalone_verify

SIGNATURE_FAILS = (
    "PROBLEM: manifest.sig: the signature of manifest.json fails with the package's public-key.pem"
)


def _package(documenter, acme, tmp_path: Path) -> Path:
    photo = media.jpeg_with_exif(
        media.picture(3), make="Fairphone", taken="2024:05:01 10:00:00", offset="+02:00",
        gps=(48.5, 2.25),
    )  # fmt: skip
    item = upload_file(documenter, acme, photo, filename="photo.jpg")
    extract_provenance(item.original)
    bare = upload_file(documenter, acme, b"never read\n", filename="note.txt")
    out = tmp_path / "p.zip"
    package_actions.package_items(documenter, acme, [item, bare], out)
    return out


def _manifest(path: Path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("manifest.json"))


def test_items_carry_their_metadata_claims_and_c2pa_result(documenter, acme, tmp_path):
    path = _package(documenter, acme, tmp_path)
    data = _manifest(path)
    assert data["version"] == 2
    photo, bare = data["items"]
    assert photo["provenance"]["kind"] == "image"
    assert photo["provenance"]["metadata"]["camera_make"] == "Fairphone"
    assert photo["provenance"]["captured_local"] == "2024-05-01T10:00:00"
    assert photo["provenance"]["captured_offset"] == "+02:00"
    assert (photo["provenance"]["latitude"], photo["provenance"]["longitude"]) == (48.5, 2.25)
    assert photo["c2pa"]["state"] == "none"
    assert bare["provenance"] is None and bare["c2pa"] is None
    assert cli_verify(path) == (0, [])
    status, output = standalone_verify(path)
    assert status == 0, output


def _both_fail(path: Path) -> list[str]:
    status, problems = cli_verify(path)
    standalone_status, output = standalone_verify(path)
    assert status == 1 and standalone_status == 1, output
    assert problems_of(output) == problems
    return problems


def test_an_edited_c2pa_state_breaks_the_signature(documenter, acme, tmp_path):
    path = _package(documenter, acme, tmp_path)

    def edit(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        changed = _manifest(path)
        changed["items"][0]["c2pa"] = {"state": "trusted", "signer": "Some Camera Maker"}
        return manifests.encode(changed)

    assert _both_fail(rewrite(path, tmp_path / "t.zip", edit)) == [SIGNATURE_FAILS]


def test_an_edited_gps_claim_breaks_the_signature(documenter, acme, tmp_path):
    path = _package(documenter, acme, tmp_path)

    def edit(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        changed = _manifest(path)
        changed["items"][0]["provenance"]["latitude"] = 40.0
        changed["items"][0]["provenance"]["metadata"]["camera_make"] = "Other"
        return manifests.encode(changed)

    assert _both_fail(rewrite(path, tmp_path / "t.zip", edit)) == [SIGNATURE_FAILS]


def test_a_version_1_package_still_verifies_and_an_unknown_version_does_not(
    documenter, acme, tmp_path
):
    path = _package(documenter, acme, tmp_path)

    def as_version(version: int) -> Path:
        old = _manifest(path)
        old["version"] = version
        for item in old["items"]:
            del item["provenance"], item["c2pa"]
        del old["selection"]
        raw = manifests.encode(old)
        swap = {"manifest.json": raw, "manifest.sig": signing.sign(raw)}
        return rewrite(path, tmp_path / f"v{version}.zip", lambda n, d: swap.get(n, d))

    assert cli_verify(as_version(1)) == (0, [])
    assert standalone_verify(as_version(1))[0] == 0
    problems = _both_fail(as_version(3))
    assert problems[0].startswith("PROBLEM: manifest.json: format/version is")
