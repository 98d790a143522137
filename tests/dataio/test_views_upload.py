"""The import page and its upload form (generic ``testrows`` kind): the page lists the
organisation's runs and mappings, a good upload becomes an audited run, every bad upload is a
422 naming the problem with nothing stored."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from justicework.audit.models import AuditEntry
from justicework.dataio import actions
from justicework.dataio.models import ImportRun

from .conftest import HEADER, KIND, SPEC, good_rows, write_csv


@pytest.fixture
def mapping(rows_schema, cast):
    return actions.save_mapping(
        cast.documenter, cast.acme, kind=KIND, name="Rows", file_format="csv", spec=SPEC
    )


def csv_upload(tmp_path, n: int = 2, name: str = "rows.csv") -> SimpleUploadedFile:
    path = write_csv(tmp_path / name, [HEADER, *good_rows(n)])
    return SimpleUploadedFile(name, path.read_bytes(), "text/csv")


INDEX = reverse("dataio:index", args=[KIND])
UPLOAD = reverse("dataio:upload", args=[KIND])


def uploads() -> int:
    return AuditEntry.objects.filter(action="dataio.run.uploaded").count()


def test_the_import_page_names_the_kind_and_offers_the_organisations_mappings(login, cast, mapping):
    actions.save_mapping(
        cast.outsider, cast.beacon, kind=KIND, name="Beacon layout", file_format="csv", spec=SPEC
    )
    response = login(cast.documenter).get(INDEX)
    assert response.status_code == 200
    assert b"Test rows" in response.content
    assert b"Rows" in response.content
    assert b"Beacon layout" not in response.content


def test_the_import_page_of_an_unknown_kind_is_not_found(login, cast):
    assert login(cast.documenter).get(reverse("dataio:index", args=["bananas"])).status_code == 404


def test_a_good_upload_becomes_a_run_with_its_mapping_and_mode_and_is_audited(
    login, cast, mapping, tmp_path
):
    response = login(cast.documenter).post(
        UPLOAD,
        {
            "file": csv_upload(tmp_path),
            "file_format": "csv",
            "mapping": mapping.pk,
            "mode": "resumable",
        },
    )
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("dataio:run", args=[run.pk])
    assert (run.organisation, run.kind, run.mapping, run.mode) == (
        cast.acme,
        KIND,
        mapping,
        ImportRun.Mode.RESUMABLE,
    )
    assert run.status == ImportRun.Status.UPLOADED
    assert run.filename == "rows.csv" and run.created_by == cast.documenter
    entry = AuditEntry.objects.get(action="dataio.run.uploaded")
    assert entry.diff["sha256"] == run.sha256 and entry.diff["size"] == run.size
    assert entry.actor_id == cast.documenter.pk


def test_an_upload_without_a_mapping_waits_for_one(login, cast, mapping, tmp_path):
    login(cast.documenter).post(
        UPLOAD, {"file": csv_upload(tmp_path), "file_format": "csv", "mode": "atomic"}
    )
    run = ImportRun.objects.get()
    assert run.mapping is None
    page = login(cast.documenter).get(reverse("dataio:run", args=[run.pk]))
    # Without a mapping the check cannot start, and the page says why.
    assert re.search(rb"<button [^>]*disabled[^>]*>Check the file</button>", page.content)
    assert b"Choose a mapping first (step 1)." in page.content


@pytest.mark.parametrize(
    "data, field",
    [
        ({"file_format": "csv", "mode": "atomic"}, "file"),
        ({"file_format": "pdf", "mode": "atomic"}, "file_format"),
        ({"file_format": "csv", "mode": "sometimes"}, "mode"),
    ],
)
def test_a_bad_upload_form_is_a_422_and_nothing_is_stored(
    login, cast, mapping, tmp_path, data, field
):
    if field != "file":
        data = {**data, "file": csv_upload(tmp_path)}
    response = login(cast.documenter).post(UPLOAD, data)
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert not ImportRun.objects.exists()
    assert uploads() == 0


def test_another_organisations_mapping_cannot_be_chosen(login, cast, mapping, tmp_path):
    theirs = actions.save_mapping(
        cast.outsider, cast.beacon, kind=KIND, name="Theirs", file_format="csv", spec=SPEC
    )
    response = login(cast.documenter).post(
        UPLOAD,
        {
            "file": csv_upload(tmp_path),
            "file_format": "csv",
            "mapping": theirs.pk,
            "mode": "atomic",
        },
    )
    assert response.status_code == 422
    assert "mapping" in response.context["form"].errors
    assert not ImportRun.objects.exists()


def test_an_empty_file_is_refused_on_the_file_field_and_nothing_is_stored(
    login, cast, mapping, tmp_path
):
    empty = SimpleUploadedFile("rows.csv", b"", "text/csv")
    response = login(cast.documenter).post(
        UPLOAD, {"file": empty, "file_format": "csv", "mode": "atomic"}
    )
    assert response.status_code == 422
    assert response.context["form"].errors["file"]
    assert not ImportRun.objects.exists()
    assert uploads() == 0


def test_the_upload_answers_post_only(login, cast, mapping):
    assert login(cast.documenter).get(UPLOAD).status_code == 405


@pytest.mark.parametrize("who", ["viewer", "reviewer", "officer"])
def test_members_without_import_get_404_and_nothing_is_stored(login, cast, mapping, tmp_path, who):
    client = login(getattr(cast, who))
    assert client.get(INDEX).status_code == 404
    response = client.post(
        UPLOAD, {"file": csv_upload(tmp_path), "file_format": "csv", "mode": "atomic"}
    )
    assert response.status_code == 404
    assert not ImportRun.objects.exists()
    assert uploads() == 0


def test_an_upload_lands_in_the_uploaders_active_organisation(login, cast, rows_schema, tmp_path):
    login(cast.outsider).post(
        UPLOAD, {"file": csv_upload(tmp_path), "file_format": "csv", "mode": "atomic"}
    )
    assert ImportRun.objects.get().organisation == cast.beacon


def test_the_page_lists_the_organisations_runs_newest_first_and_not_others(
    login, cast, mapping, tmp_path
):
    for name in ("first.csv", "second.csv"):
        actions.start_run(
            cast.documenter, cast.acme, kind=KIND, file_format="csv", filename=name,
            chunks=[csv_upload(tmp_path).read()], mapping=mapping,
        )  # fmt: skip
    actions.start_run(
        cast.outsider, cast.beacon, kind=KIND, file_format="csv", filename="theirs.csv",
        chunks=[csv_upload(tmp_path).read()],
    )  # fmt: skip
    content = login(cast.documenter).get(INDEX).content
    assert b"theirs.csv" not in content
    assert content.index(b"second.csv") < content.index(b"first.csv")
