"""Packages carry verification and links: the manifest states each item's status, findings and
links (incidents by reference, persons by code only), both verifiers check findings and status
against the custody log; ``--incident N`` and the incident page's "package this incident's
evidence"."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command

from justicework.evidence.actions import link_item, record_finding, set_status
from justicework.evidence.actions import packages as package_actions
from justicework.evidence.models import Package
from justicework.evidence.packages import signing

from ...violations.conftest import make_incident
from ..conftest import upload_file
from ..packages.conftest import cli_verify, problems_of, rewrite, standalone_verify


@pytest.fixture
def verified_package(documenter, analyst, acme, acme_item, incident, person, tmp_path):
    link_item(documenter, acme_item, incident)
    link_item(documenter, acme_item, person)
    record_finding(analyst, acme_item, level="content", text="Shadows fit", confidence="high")
    set_status(analyst, acme_item, "verified")
    out = tmp_path / "p.zip"
    package_actions.package_items(documenter, acme, [acme_item], out)
    return out


def _manifest(path):
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("manifest.json"))


def test_the_manifest_states_status_findings_and_links(verified_package, incident, person):
    entry = _manifest(verified_package)["items"][0]
    assert entry["status"] == "verified"
    assert entry["findings"][0]["text"] == "Shadows fit"
    assert entry["findings"][0]["confidence"] == "high" and entry["findings"][0]["level"]
    links = {link["kind"]: link for link in entry["links"]}
    assert links["incident"] == {"kind": "incident", "id": incident.pk,
                                 "reference": "ACME-2023-017",
                                 "linked_at": links["incident"]["linked_at"]}  # fmt: skip
    assert links["person"]["code"] == person.code
    assert "Олена" not in verified_package.read_bytes().decode("utf-8", "replace")
    assert cli_verify(verified_package) == (0, [])
    assert standalone_verify(verified_package)[0] == 0


def _resigned(package, tmp_path, change):
    manifest = _manifest(package)
    change(manifest["items"][0])
    raw = json.dumps(manifest).encode()
    replace = {"manifest.json": raw, "manifest.sig": signing.sign(raw)}
    return rewrite(package, tmp_path / "t.zip", lambda n, d: replace.get(n, d))


def _both(path):
    status, problems = cli_verify(path)
    standalone_status, output = standalone_verify(path)
    assert status == standalone_status == 1, output
    assert problems_of(output) == problems
    return problems


def test_an_edited_finding_with_a_valid_signature_is_found(verified_package, tmp_path):
    def edit(item):
        item["findings"][0]["text"] = "Shadows do not fit"

    item_id = _manifest(verified_package)["items"][0]["id"]
    finding = _manifest(verified_package)["items"][0]["findings"][0]["id"]
    assert _both(_resigned(verified_package, tmp_path, edit)) == [
        f"PROBLEM: item {item_id}: finding {finding}: its text differs from the custody entry "
        "that recorded it"
    ]


def test_an_edited_status_with_a_valid_signature_is_found(verified_package, tmp_path):
    def edit(item):
        item["status"] = "disputed"

    item_id = _manifest(verified_package)["items"][0]["id"]
    assert _both(_resigned(verified_package, tmp_path, edit)) == [
        f"PROBLEM: item {item_id}: status is disputed, the custody log says verified"
    ]


def test_an_added_finding_is_found(verified_package, tmp_path):
    def add(item):
        item["findings"].append({**item["findings"][0], "id": 999999})

    assert any("finding 999999: not recorded" in p for p in
               _both(_resigned(verified_package, tmp_path, add)))  # fmt: skip


def _package_incident(user, organisation, incident, out):
    call_command(
        "evidence", "package", "--out", str(out), "--incident", str(incident.pk),
        "--organisation", organisation.slug, "--as", user.email, stdout=io.StringIO(),
    )  # fmt: skip


def test_the_command_packages_an_incidents_evidence(documenter, acme, incident, violation,
                                                    tmp_path):  # fmt: skip
    direct = upload_file(documenter, acme, b"direct", filename="direct.txt")
    through = upload_file(documenter, acme, b"through", filename="through.txt")
    upload_file(documenter, acme, b"unlinked", filename="unlinked.txt")
    elsewhere = upload_file(documenter, acme, b"elsewhere", filename="elsewhere.txt")
    link_item(documenter, direct, incident)
    link_item(documenter, through, violation)
    link_item(documenter, elsewhere, make_incident(acme, title="Another"))
    out = tmp_path / "incident.zip"
    _package_incident(documenter, acme, incident, out)
    assert [i["id"] for i in _manifest(out)["items"]] == [direct.pk, through.pk]
    assert cli_verify(out) == (0, [])


def test_another_organisations_incident_is_refused(documenter, acme, beacon_incident, tmp_path):
    out = tmp_path / "x.zip"
    with pytest.raises(CommandError, match=f"no incident {beacon_incident.pk} you may open"):
        _package_incident(documenter, acme, beacon_incident, out)
    assert not out.exists()


def test_an_incident_without_evidence_is_refused(documenter, acme, incident, tmp_path):
    with pytest.raises(CommandError, match="No evidence item is linked"):
        _package_incident(documenter, acme, incident, tmp_path / "x.zip")


@pytest.mark.parametrize("who", ["viewer", "outsider"])
def test_who_may_not_package_evidence_may_not_package_an_incident(cast, documenter, acme_item,
                                                                  incident, who):  # fmt: skip
    from django.core.exceptions import PermissionDenied

    link_item(documenter, acme_item, incident)
    with pytest.raises(PermissionDenied):
        package_actions.select_items(getattr(cast, who), cast.acme, None, incident_id=incident.pk)


@pytest.mark.django_db(transaction=True)
def test_the_incident_page_packages_its_evidence(cast, login):
    from ...violations.conftest import make_incident as incident_of

    item = upload_file(cast.documenter, cast.acme, b"web bytes", filename="web.txt")
    incident = incident_of(cast.acme, title="Web incident")
    link_item(cast.documenter, item, incident)
    client = login(cast.documenter)
    response = client.post("/evidence/packages/", {"incident": str(incident.pk)})
    package = Package.objects.get()
    assert response.status_code == 302 and package.item_ids == [item.pk]
    assert package.status == "ready"


def test_the_incident_page_refuses_another_organisations_incident(
    outsider, login, acme_item, documenter, incident
):
    link_item(documenter, acme_item, incident)
    response = login(outsider).post("/evidence/packages/", {"incident": str(incident.pk)})
    assert response.status_code == 302 and not Package.objects.exists()
