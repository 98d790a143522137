"""RFC 3161 timestamps from a local ``openssl ts`` authority on loopback."""

from __future__ import annotations

import hashlib
import zipfile

import pytest

from justicework.evidence.actions import packages as package_actions
from justicework.evidence.models import CustodyEntry
from justicework.evidence.packages import timestamp

from .conftest import cli_verify, problems_of, rewrite, standalone_verify, two_items
from .tsa import OPENSSL, authority

pytestmark = pytest.mark.skipif(
    OPENSSL is None, reason="the openssl binary is missing: no local timestamp authority"
)


@pytest.fixture
def stamped(documenter, acme, tmp_path, settings):
    with authority(tmp_path / "tsa") as (url, root):
        settings.EVIDENCE_TSA_URL = url
        items = two_items(documenter, acme)
        out = tmp_path / "stamped.zip"
        package_actions.package_items(documenter, acme, items, out)
    return out, root


def test_a_timestamped_package_verifies_with_both_verifiers(stamped):
    package, root = stamped
    with zipfile.ZipFile(package) as archive:
        token, manifest = archive.read("manifest.tsr"), archive.read("manifest.json")
    assert timestamp.check(token, manifest, root.read_bytes()) is None
    assert cli_verify(package, "--tsa-cert", str(root)) == (0, [])
    status, output = standalone_verify(package)
    assert status == 0, output
    stamped_at = timestamp.gen_time(token).strftime("%Y%m%d%H%M%S")
    assert f"manifest.tsr: the manifest existed at {stamped_at}" in output


def test_the_token_does_not_verify_with_another_root(stamped, tmp_path):
    package, _root = stamped
    with authority(tmp_path / "stranger") as (_url, other_root):
        status, problems = cli_verify(package, "--tsa-cert", str(other_root))
    assert status == 1
    assert problems[0].startswith(
        "PROBLEM: manifest.tsr: does not verify with the authority's certificate"
    )


def test_a_token_moved_onto_an_edited_manifest_is_found(stamped, tmp_path):
    package, _root = stamped
    with zipfile.ZipFile(package) as archive:
        edited = archive.read("manifest.json").replace(b'"Ana"', b'"Bob"')
    target = rewrite(
        package, tmp_path / "t.zip", lambda n, d: edited if n == "manifest.json" else d
    )
    status, problems = cli_verify(target)
    standalone_status, output = standalone_verify(target)
    assert status == standalone_status == 1
    assert problems_of(output) == problems
    digest = hashlib.sha256(edited).hexdigest()
    assert any(p.startswith("PROBLEM: manifest.tsr: message imprint") and digest in p
               for p in problems)  # fmt: skip


def test_an_unreachable_authority_writes_no_package_and_no_custody(
    documenter, acme, tmp_path, settings
):
    items = two_items(documenter, acme)
    settings.EVIDENCE_TSA_URL = "http://127.0.0.1:9/"  # the discard port: nothing listens
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    with pytest.raises(timestamp.TimestampProblem, match="did not answer"):
        package_actions.package_items(documenter, acme, items, out_dir / "p.zip")
    assert list(out_dir.iterdir()) == []
    assert not CustodyEntry.objects.filter(event="exported").exists()
