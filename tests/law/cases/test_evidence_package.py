"""The evidence a case relies on as a signed package of the evidence vault: the items its
matrix cites and those linked to it, sorted by the evidence app's own checks (a survivor's
withdrawn consent holds an item back, with the reason on the page), asked for with its own
action, verified with its own verifier; refused to whom a package is refused."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from justicework.audit.models import AuditEntry
from justicework.core.uses import Scope
from justicework.evidence import actions as evidence_actions
from justicework.evidence.actions.packages import package_path
from justicework.evidence.models import Package
from justicework.law import actions_cases as actions
from justicework.law import actions_packages
from justicework.survivors.gate import use_label
from justicework.survivors.models import SurvivorFile
from tests.evidence.conftest import upload_file
from tests.evidence.packages.conftest import cli_verify
from tests.survivors import conftest as survivors
from tests.survivors.conftest import give, withdraw

pytestmark = pytest.mark.django_db
#: the survivors' fixtures: a survivor of acme and their survivor file
survivor, file = survivors.survivor, survivors.file

S = Scope.STATEMENTS_IMAGES
WITHDRAWN = f"No consent for {use_label(S, '')} — withdrawn on "


@pytest.fixture
def cited(records: SimpleNamespace, cast: SimpleNamespace) -> SimpleNamespace:
    """The case's item cited by an entry, and a second item linked to the case file only."""
    charge = actions.add_charge(None, records.case, crime_id="7(1)(a)", mode_id="25(3)(c)")
    actions.add_matrix_entry(
        None, charge, part="crime", element=1, link=records.item,
        bearing="supports", strength="strong", note="the photo of the market",
    )  # fmt: skip
    linked = upload_file(cast.documenter, cast.acme, b"a report", filename="report.txt")
    actions.link_records(None, records.case, "items", [linked])
    return SimpleNamespace(charge=charge, linked=linked)


def _page(records: SimpleNamespace) -> str:
    return reverse("law:case_evidence_package", args=[records.case.pk])


def test_page_lists_the_cited_and_linked_items(records, cited, cast, login) -> None:
    page = login(cast.analyst).get(_page(records)).content.decode()
    assert reverse("evidence:item_detail", args=[records.item.pk]) in page
    assert reverse("evidence:item_detail", args=[cited.linked.pk]) in page
    assert "Held back" not in page


def test_analyst_packages_the_case_evidence_and_it_verifies(
    records, cited, cast, login, django_capture_on_commit_callbacks
) -> None:  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):  # the task runs (immediate backend)
        response = login(cast.analyst).post(_page(records))
    package = Package.objects.get(requester=cast.analyst)
    assert response.status_code == 302
    assert response["Location"] == reverse("evidence:package_detail", args=[package.pk])
    assert sorted(package.item_ids) == sorted([records.item.pk, cited.linked.pk])
    assert package.status == Package.Status.READY
    assert cli_verify(package_path(package)) == (0, [])
    entry = AuditEntry.objects.get(action="law.case.evidence_packaged")
    assert entry.diff["package"] == str(package.pk) and entry.diff["held_back"] == []
    assert AuditEntry.objects.filter(action="evidence.package.requested").count() == 1


def test_matrix_page_offers_the_package_to_those_who_may_package(records, cast, login) -> None:
    matrix = reverse("law:case_matrix", args=[records.case.pk])
    assert _page(records) in login(cast.analyst).get(matrix).content.decode()
    assert _page(records) not in login(cast.viewer).get(matrix).content.decode()


@pytest.fixture
def picture(records, cited, cast, file: SurvivorFile, coordinator) -> Any:  # type: ignore[no-untyped-def]
    """A photograph of a survivor who consented to statements and images, cited by the case."""
    give(coordinator, file, Scope.DOCUMENTATION, S, Scope.LEGAL_PROCEEDINGS)
    from tests.evidence.provenance import files

    item = upload_file(
        cast.documenter, cast.acme, files.jpeg_with_exif(files.picture(40)), filename="p.jpg"
    )
    evidence_actions.make_derivatives(item.original)
    evidence_actions.link_item(cast.documenter, item, file.person)
    actions.add_matrix_entry(
        None, cited.charge, part="crime", element=1, link=item,
        bearing="supports", strength="moderate",
    )  # fmt: skip
    return item


def test_withdrawn_consent_holds_the_item_back_with_the_reason(
    records, cited, picture, cast, login, coordinator, file, django_capture_on_commit_callbacks
) -> None:  # fmt: skip
    client = login(cast.analyst)
    assert str(picture.pk) in client.get(_page(records)).content.decode()
    withdraw(coordinator, file, S)
    page = client.get(_page(records)).content.decode().replace("&#x27;", "'")
    assert "Held back" in page
    assert f"Evidence item {picture.pk}: {WITHDRAWN}" in page
    assert reverse("evidence:item_detail", args=[picture.pk]) not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_page(records), follow=True)
    package = Package.objects.get(requester=cast.analyst)
    assert picture.pk not in package.item_ids
    assert sorted(package.item_ids) == sorted([records.item.pk, cited.linked.pk])
    assert "were held back" in response.content.decode()
    assert cli_verify(package_path(package)) == (0, [])
    [held] = AuditEntry.objects.get(action="law.case.evidence_packaged").diff["held_back"]
    assert held["item"] == picture.pk and held["reason"].startswith(WITHDRAWN)


def test_an_item_the_reader_may_not_see_is_counted_not_named(records, cited, cast) -> None:
    """An item linked to the case that the analyst may not package (here: of another
    organisation, as a stand-in for need-to-know) is neither named nor packaged."""
    other = upload_file(cast.outsider, cast.beacon, b"beacon's", filename="b.txt")
    records.case.items.add(other)  # the link table only, as if the item were hidden later
    from justicework.core import uses

    with uses.using("evidence.package"):
        found = actions_packages.case_evidence(cast.analyst, records.case)
    assert other.pk not in found.item_ids and found.unseen == 1
    assert all(pk != other.pk for pk, _reason in found.held_back)


def test_no_package_when_nothing_may_be_packaged(records, cast, login) -> None:
    response = login(cast.analyst).post(_page(records), follow=True)
    assert "cites no evidence item that you may package" in response.content.decode()
    assert not Package.objects.exists()


def test_viewer_outsider_and_anonymous_get_no_package(
    records, cited, cast, login, client: Client
) -> None:  # fmt: skip
    url = _page(records)
    assert client.get(url).status_code == 302  # anonymous: to the sign-in page
    assert client.post(url).status_code == 302
    assert login(cast.viewer).get(url).status_code == 403  # may not package evidence
    assert login(cast.viewer).post(url).status_code == 403
    assert login(cast.outsider).get(url).status_code == 404  # another organisation's case
    assert login(cast.outsider).post(url).status_code == 404
    assert not Package.objects.exists()
    assert not AuditEntry.objects.filter(action="law.case.evidence_packaged").exists()


def test_api_packages_and_lists_what_is_held_back(
    records, cited, picture, cast, bearer, coordinator, file, django_capture_on_commit_callbacks
) -> None:  # fmt: skip
    withdraw(coordinator, file, S)
    url = f"/api/v1/law/cases/{records.case.pk}/evidence-package"
    preview = bearer(cast.analyst).get(url)
    assert preview.status_code == 200
    assert preview.json()["held_back"][0]["item_id"] == picture.pk
    with django_capture_on_commit_callbacks(execute=True):
        response = bearer(cast.analyst, "write").post(url)
    assert response.status_code == 202, response.content
    body = response.json()
    assert sorted(body["item_ids"]) == sorted([records.item.pk, cited.linked.pk])
    assert body["held_back"][0]["reason"].startswith(WITHDRAWN)
    assert body["status"] == "queued"  # the worker builds it once the request commits
    assert Package.objects.get(pk=body["package_id"]).status == Package.Status.READY
    assert cli_verify(package_path(Package.objects.get(pk=body["package_id"]))) == (0, [])


def test_api_refuses_viewer_outsider_and_anonymous(records, cited, cast, bearer) -> None:
    url = f"/api/v1/law/cases/{records.case.pk}/evidence-package"
    assert bearer(cast.viewer, "write").post(url).status_code == 403
    assert bearer(cast.outsider, "write").post(url).status_code == 404
    assert bearer(cast.outsider).get(url).status_code == 404
    assert Client().post(url).status_code == 401
    assert not Package.objects.exists()
