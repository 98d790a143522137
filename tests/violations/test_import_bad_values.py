"""The import pages and actions refuse NUL bytes and deeply nested Kobo JSON clearly
(issue 9, finding 8): a row error naming row and column, or the file's problem on the run."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from justicework.dataio import actions as dataio_actions
from justicework.dataio.models import ImportRun, RowError
from justicework.violations.models import Person, Violation

from .test_import import MAPPING, row
from .test_import_views import csv_bytes, login


def test_a_nul_byte_in_an_uploaded_csv_is_a_row_error_on_the_run_page(
    client, cast, django_capture_on_commit_callbacks
):
    mapping = dataio_actions.save_mapping(
        cast.documenter, cast.acme, kind="violations", name="Survey", file_format="csv",
        spec=MAPPING,
    )  # fmt: skip
    login(client, cast.documenter)
    upload = SimpleUploadedFile("v.csv", csv_bytes([row(1), row(2, Victim="Ann\x00a")]), "text/csv")
    response = client.post(
        reverse("dataio:upload", args=["violations"]),
        {"file": upload, "file_format": "csv", "mapping": mapping.pk, "mode": "atomic"},
    )
    assert response.status_code == 302
    run = ImportRun.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dataio:run_check", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ImportRun.Status.INVALID
    error = RowError.objects.get(run=run)
    assert (error.row, error.column) == (3, "Victim")
    assert "NUL" in error.reason
    page = client.get(reverse("dataio:run", args=[run.pk]))
    assert b"NUL" in page.content
    assert Violation.objects.count() == 0 and Person.objects.count() == 0


def test_a_deeply_nested_kobo_upload_answers_a_clear_problem(
    client, cast, django_capture_on_commit_callbacks
):
    mapping = dataio_actions.save_mapping(
        cast.documenter, cast.acme, kind="violations", name="Kobo", file_format="kobo",
        spec={"fields": {"incident_ref": "_uuid", "incident_title": "t", "type": "x"}},
    )  # fmt: skip
    login(client, cast.documenter)
    body = ("[" * 100_000 + "]" * 100_000).encode()
    upload = SimpleUploadedFile("deep.json", body, "application/json")
    response = client.post(
        reverse("dataio:upload", args=["violations"]),
        {"file": upload, "file_format": "kobo", "mapping": mapping.pk, "mode": "atomic"},
    )
    assert response.status_code == 302
    run = ImportRun.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dataio:run_check", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ImportRun.Status.INVALID
    assert "nested deeper than" in run.problem
    page = client.get(reverse("dataio:run", args=[run.pk]))
    assert b"nested deeper than" in page.content


@pytest.mark.parametrize("phase", ["check", "commit"])
def test_deep_nesting_is_refused_by_the_actions(cast, phase):
    mapping = dataio_actions.save_mapping(
        cast.documenter, cast.acme, kind="violations", name="Kobo", file_format="kobo",
        spec={"fields": {"incident_ref": "_uuid", "incident_title": "t", "type": "x"}},
    )  # fmt: skip
    run = dataio_actions.start_run(
        cast.documenter, cast.acme, kind="violations", file_format="kobo", filename="d.json",
        chunks=[b'{"results": ' + b"[" * 50_000 + b"]" * 50_000 + b"}"], mapping=mapping,
    )  # fmt: skip
    if phase == "check":
        run = dataio_actions.dry_run(cast.documenter, run)
    else:
        run = dataio_actions.commit_run(cast.documenter, run)
    assert run.status == ImportRun.Status.INVALID
    assert "nested deeper than" in run.problem


@pytest.mark.parametrize(
    "spec",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"fields": {"type": {"value": ' + "[" * 500 + "]" * 500 + "}}}",
        '{"fields": {"incident_ref": "Case\\u0000", "incident_title": "T", "type": "A"}}',
    ],
    ids=["deep-json", "deep-value", "nul"],
)
def test_the_mapping_page_refuses_deep_or_nul_mappings_clearly(client, cast, spec):
    from justicework.dataio.models import Mapping

    login(client, cast.documenter)
    url = reverse("dataio:mapping_new", args=["violations"])
    response = client.post(url, {"name": "M", "file_format": "csv", "spec": spec})
    assert response.status_code == 422
    assert b"nested deeper than" in response.content or b"NUL" in response.content
    assert Mapping.objects.count() == 0
