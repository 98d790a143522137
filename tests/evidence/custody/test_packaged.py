"""The new custody events travel in a package's manifest and both verifiers accept them (and
still catch an edited one)."""

from __future__ import annotations

import json
import zipfile

from django.urls import reverse

from justicework.evidence import actions
from justicework.evidence.actions import packages as package_actions

from ..conftest import upload_file
from ..packages.conftest import cli_verify, problems_of, rewrite, standalone_verify
from .test_transfer import GOOD


def test_a_package_with_every_new_event_verifies_with_both_verifiers(
    settings, bridge, login, beacon, acme, tmp_path
):
    settings.EVIDENCE_ENCRYPT = True  # "sealed"
    item = upload_file(bridge, acme, b"evidence for the court" * 40, filename="c.txt")
    client = login(bridge)
    client.get(reverse("evidence:item_detail", args=[item.pk]))  # viewed
    b"".join(client.post(reverse("evidence:original_download", args=[item.pk])).streaming_content)
    actions.record_transfer(bridge, item, GOOD)
    copy = actions.copy_item(bridge, item, beacon)
    out = tmp_path / "package.zip"
    package_actions.package_items(bridge, acme, [item], out)
    with zipfile.ZipFile(out) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    events = [e["event"] for e in manifest["items"][0]["custody"]]
    assert events == [
        "received", "sealed", "viewed", "downloaded", "transferred", "copied", "exported"
    ]  # fmt: skip
    assert manifest["items"][0]["custody"][5]["detail"]["to_item"] == copy.pk
    assert cli_verify(out) == (0, [])
    status, output = standalone_verify(out)
    assert status == 0, output

    def forge(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        return data.replace(b"ICC-OTP-2026-0042", b"ICC-OTP-2026-0043")

    forged = rewrite(out, tmp_path / "forged.zip", forge)
    status, problems = cli_verify(forged)
    assert status != 0 and problems
    status, output = standalone_verify(forged)
    assert status != 0 and problems_of(output)
