"""Import and export pages: allow and deny for every view, the full upload → check → import flow,
query counts that do not grow, streamed downloads."""

from __future__ import annotations

import csv
import io

import pytest
from allauth.mfa.models import Authenticator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from justicework.audit.models import AuditEntry
from justicework.dataio import actions as dataio_actions
from justicework.dataio.models import ImportRun, Mapping
from justicework.violations.models import Violation

from .conftest import make_incident, make_person, make_violation
from .test_import import HEADER, MAPPING, row


def login(client, user):
    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
    )
    client.force_login(user)
    return client


def csv_bytes(rows):
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER, *rows])
    return buffer.getvalue().encode()


@pytest.fixture
def mapping(cast):
    return dataio_actions.save_mapping(
        cast.documenter, cast.acme, kind="violations", name="Survey", file_format="csv",
        spec=MAPPING,
    )  # fmt: skip


@pytest.fixture
def run(cast, mapping):
    return dataio_actions.start_run(
        cast.documenter, cast.acme, kind="violations", file_format="csv", filename="v.csv",
        chunks=[csv_bytes([row(1), row(2)])], mapping=mapping,
    )  # fmt: skip


INDEX = reverse("dataio:index", args=["violations"])


def test_documenter_sees_the_import_page(client, cast, run):
    response = login(client, cast.documenter).get(INDEX)
    assert response.status_code == 200
    assert b"v.csv" in response.content and b"Survey" in response.content


@pytest.mark.parametrize("who", ["viewer", "analyst", "coordinator", "loner"])
def test_users_without_import_get_404_on_every_import_page(client, cast, run, mapping, who):
    login(client, getattr(cast, who))
    for method, url in [
        ("get", INDEX),
        ("post", reverse("dataio:upload", args=["violations"])),
        ("get", reverse("dataio:mapping_new", args=["violations"])),
        ("get", reverse("dataio:mapping_edit", args=["violations", mapping.pk])),
        ("post", reverse("dataio:mapping_delete", args=[mapping.pk])),
        ("get", reverse("dataio:run", args=[run.pk])),
        ("post", reverse("dataio:run_mapping", args=[run.pk])),
        ("post", reverse("dataio:run_check", args=[run.pk])),
        ("post", reverse("dataio:run_commit", args=[run.pk])),
    ]:
        assert getattr(client, method)(url).status_code == 404, url
    assert Mapping.objects.count() == 1


def test_outsider_gets_404_for_acmes_run_and_mapping(client, cast, run, mapping):
    login(client, cast.outsider)
    assert client.get(reverse("dataio:run", args=[run.pk])).status_code == 404
    assert client.post(reverse("dataio:run_commit", args=[run.pk])).status_code == 404
    assert client.post(reverse("dataio:mapping_delete", args=[mapping.pk])).status_code == 404
    edit = reverse("dataio:mapping_edit", args=["violations", mapping.pk])
    assert client.get(edit).status_code == 404
    # The outsider's own import page works, in their own organisation, without acme's runs.
    response = client.get(INDEX)
    assert response.status_code == 200 and b"v.csv" not in response.content


def test_anonymous_users_are_sent_to_log_in(client, run):
    response = client.get(INDEX)
    assert response.status_code == 302 and "login" in response["Location"]


def test_full_flow_upload_check_commit(client, cast, mapping, django_capture_on_commit_callbacks):
    login(client, cast.documenter)
    upload = SimpleUploadedFile("v.csv", csv_bytes([row(1), row(2), row(3)]), "text/csv")
    response = client.post(
        reverse("dataio:upload", args=["violations"]),
        {"file": upload, "file_format": "csv", "mapping": mapping.pk, "mode": "resumable"},
    )
    assert response.status_code == 302
    run = ImportRun.objects.get()
    before = (
        Violation.objects.count(),
        AuditEntry.objects.filter(action__startswith="violations").count(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dataio:run_check", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ImportRun.Status.VALID and run.total_rows == 3
    assert (
        Violation.objects.count(),
        AuditEntry.objects.filter(action__startswith="violations").count(),
    ) == before
    page = client.get(reverse("dataio:run", args=[run.pk]))
    assert b"<progress" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dataio:run_commit", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ImportRun.Status.COMMITTED and run.created_rows == 3
    assert Violation.objects.count() == 3
    # A committed run cannot be committed again.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dataio:run_commit", args=[run.pk]))
    assert Violation.objects.count() == 3


def test_check_reports_bad_rows_on_the_page(
    client, cast, mapping, django_capture_on_commit_callbacks
):
    login(client, cast.documenter)
    run = dataio_actions.start_run(
        cast.documenter, cast.acme, kind="violations", file_format="csv", filename="bad.csv",
        chunks=[csv_bytes([row(1), row(2, Act="nope")])], mapping=mapping,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dataio:run_check", args=[run.pk]))
    page = client.get(reverse("dataio:run", args=[run.pk]))
    assert b"is not a known type of act term" in page.content
    response = client.post(reverse("dataio:run_commit", args=[run.pk]), follow=True)
    assert b"Run a successful check" in response.content
    assert Violation.objects.count() == 0


@override_settings(IMPORT_MAX_BYTES=50)
def test_an_upload_over_the_size_limit_is_refused_and_nothing_kept(client, cast, mapping):
    login(client, cast.documenter)
    upload = SimpleUploadedFile("v.csv", csv_bytes([row(1), row(2)]), "text/csv")
    response = client.post(
        reverse("dataio:upload", args=["violations"]),
        {"file": upload, "file_format": "csv", "mode": "atomic"},
    )
    assert response.status_code == 422
    assert b"larger than the limit of 50 bytes" in response.content
    assert ImportRun.objects.count() == 0


def test_mapping_pages_save_and_reject_bad_json(client, cast):
    login(client, cast.documenter)
    url = reverse("dataio:mapping_new", args=["violations"])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"name": "M", "file_format": "csv", "spec": "{not json"})
    assert bad.status_code == 422 and b"not valid JSON" in bad.content
    unknown = client.post(
        url, {"name": "M", "file_format": "csv", "spec": '{"fields": {"x": "y"}}'}
    )
    assert unknown.status_code == 422 and b"is not a field of this import" in unknown.content
    import json

    ok = client.post(url, {"name": "M", "file_format": "csv", "spec": json.dumps(MAPPING)})
    assert ok.status_code == 302
    assert Mapping.objects.get(name="M").spec["key"] == ["Row"]


def test_import_page_query_count_does_not_grow(
    client, cast, mapping, django_assert_max_num_queries
):
    login(client, cast.documenter)
    client.get(INDEX)
    for n in range(5):
        dataio_actions.start_run(
            cast.documenter, cast.acme, kind="violations", file_format="csv", filename=f"{n}.csv",
            chunks=[b"a,b\n1,2\n"], mapping=mapping,
        )  # fmt: skip
    with django_assert_max_num_queries(20) as few:
        client.get(INDEX)
    for n in range(10):
        dataio_actions.start_run(
            cast.documenter, cast.acme, kind="violations", file_format="csv", filename=f"x{n}.csv",
            chunks=[b"a,b\n1,2\n"], mapping=mapping,
        )  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(INDEX)


# --- export -----------------------------------------------------------------------------------


@pytest.fixture
def exported(cast):
    incident = make_incident(cast.acme, title="=cmd")
    make_violation(incident, victim=make_person(cast.acme, full_name="Hidden Name"))
    return incident


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_documenter_downloads_an_export_that_is_audited(client, cast, exported, fmt):
    login(client, cast.documenter)
    response = client.get(reverse("dataio:export_download", args=["violations", fmt]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert b"Hidden Name" not in body
    assert AuditEntry.objects.filter(
        action="violations.exported", actor_id=cast.documenter.pk
    ).exists()
    if fmt == "csv":
        assert b"'=cmd" in body


@pytest.mark.parametrize("who", ["viewer", "coordinator", "reviewer", "loner"])
def test_users_without_export_get_404(client, cast, exported, who):
    login(client, getattr(cast, who))
    assert client.get(reverse("dataio:export", args=["violations"])).status_code == 404
    response = client.get(reverse("dataio:export_download", args=["violations", "csv"]))
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="violations.exported").exists()


def test_outsider_export_holds_only_their_own_organisation(client, cast, exported):
    login(client, cast.outsider)
    response = client.get(reverse("dataio:export_download", args=["violations", "json"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).strip() == b"[\n\n]"


@pytest.mark.django_db(transaction=True)
def test_a_failed_resumable_commit_can_be_run_again_from_the_page(
    client, cast, monkeypatch, django_capture_on_commit_callbacks
):
    from justicework.dataio import engine
    from justicework.violations import actions

    mapping = dataio_actions.save_mapping(
        cast.documenter, cast.acme, kind="violations", name="Survey", file_format="csv",
        spec=MAPPING,
    )  # fmt: skip
    run = dataio_actions.start_run(
        cast.documenter, cast.acme, kind="violations", file_format="csv", filename="v.csv",
        chunks=[csv_bytes([row(n) for n in range(5)])], mapping=mapping, mode="resumable",
    )  # fmt: skip
    login(client, cast.documenter)
    dataio_actions.dry_run(cast.documenter, run)
    monkeypatch.setattr(engine, "CHUNK_SIZE", 2)
    real = actions.bulk_create_violations
    calls = {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("simulated crash")
        return real(*args, **kwargs)

    monkeypatch.setattr(actions, "bulk_create_violations", flaky)
    with pytest.raises(RuntimeError):
        dataio_actions.commit_run(cast.documenter, ImportRun.objects.get(pk=run.pk))
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED and Violation.objects.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dataio:run_commit", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ImportRun.Status.COMMITTED
    assert Violation.objects.count() == 5
    # Every row was created by this run (two of them by its first attempt): none is "skipped".
    assert (run.created_rows, run.skipped_rows) == (5, 0)


def _import_button(page: str) -> str:
    start = page.index("<button", page.index("/commit"))
    return page[start : page.index("</button>", start)]


def test_disabled_buttons_say_why_at_each_step(
    client, cast, mapping, django_capture_on_commit_callbacks
):
    login(client, cast.documenter)
    run = dataio_actions.start_run(
        cast.documenter, cast.acme, kind="violations", file_format="csv", filename="v.csv",
        chunks=[csv_bytes([row(1)])],
    )  # fmt: skip
    page = client.get(reverse("dataio:run", args=[run.pk])).content.decode()
    assert 'disabled aria-describedby="check-blocked"' in page
    assert 'id="check-blocked">Choose a mapping first (step 1).' in page
    assert 'aria-describedby="commit-blocked"' in _import_button(page)
    assert "Check the file first (step 2)" in page

    client.post(
        reverse("dataio:run_mapping", args=[run.pk]), {"mapping": mapping.pk, "mode": "atomic"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dataio:run_check", args=[run.pk]))
    page = client.get(reverse("dataio:run", args=[run.pk])).content.decode()
    assert "check-blocked" not in page and "commit-blocked" not in page
    assert "disabled" not in _import_button(page)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dataio:run_commit", args=[run.pk]))
    page = client.get(reverse("dataio:run", args=[run.pk])).content.decode()
    assert "/commit" not in page  # an imported file offers no steps at all


def test_a_file_with_problems_says_why_it_cannot_be_imported(
    client, cast, mapping, django_capture_on_commit_callbacks
):
    login(client, cast.documenter)
    bad = row(1, Act="not_a_type")
    run = dataio_actions.start_run(
        cast.documenter, cast.acme, kind="violations", file_format="csv", filename="v.csv",
        chunks=[csv_bytes([bad])], mapping=mapping,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dataio:run_check", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ImportRun.Status.INVALID
    page = client.get(reverse("dataio:run", args=[run.pk])).content.decode()
    assert "disabled" in _import_button(page)
    assert "The check found problems (listed below)" in page
