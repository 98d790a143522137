"""A run's page and its steps (generic ``testrows`` kind): choosing a mapping, the check and
the commit started from the page, each refusal shown as a message with the run unchanged, the
row problems listed, and 404 for runs of another organisation."""

from __future__ import annotations

import pytest
from django.urls import reverse

from justicework.dataio import actions
from justicework.dataio.models import ImportRun, RowError

from .conftest import HEADER, KIND, SPEC, created_rows, good_rows, write_csv


@pytest.fixture
def mapping(rows_schema, cast):
    return actions.save_mapping(
        cast.documenter, cast.acme, kind=KIND, name="Rows", file_format="csv", spec=SPEC
    )


def start(cast, tmp_path, rows, mapping=None, mode="atomic") -> ImportRun:
    path = write_csv(tmp_path / "rows.csv", [HEADER, *rows])
    return actions.start_run(
        cast.documenter, cast.acme, kind=KIND, file_format="csv", filename="rows.csv",
        chunks=[path.read_bytes()], mapping=mapping, mode=mode,
    )  # fmt: skip


def url(name: str, run: ImportRun) -> str:
    return reverse(f"dataio:{name}", args=[run.pk])


def shown_messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_the_run_page_shows_the_file_status_and_mode(login, cast, mapping, tmp_path):
    run = start(cast, tmp_path, good_rows(2), mapping, mode="resumable")
    page = login(cast.documenter).get(url("run", run))
    assert page.status_code == 200
    assert b"Import of rows.csv" in page.content
    assert b"Uploaded" in page.content
    assert b"Resumable (complete chunks are kept)" in page.content
    assert page.context["can_commit"] is False


def test_checking_from_the_page_marks_a_clean_file_valid_and_writes_no_row(
    login, cast, mapping, tmp_path, django_capture_on_commit_callbacks
):
    run = start(cast, tmp_path, good_rows(3), mapping)
    client = login(cast.documenter)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("run_check", run))
    assert response.status_code == 302 and response["Location"] == url("run", run)
    run.refresh_from_db()
    assert (run.status, run.total_rows, run.error_count) == (ImportRun.Status.VALID, 3, 0)
    assert created_rows() == []
    assert client.get(url("run", run)).context["can_commit"] is True


def test_a_check_lists_every_problem_by_row_and_column_on_the_page(
    login, cast, mapping, tmp_path, django_capture_on_commit_callbacks
):
    run = start(
        cast, tmp_path, [["a", "Ann", "2001-02-03", "red", "1"], ["b", "", "", "purple", "x"]],
        mapping,
    )  # fmt: skip
    client = login(cast.documenter)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("run_check", run))
    run.refresh_from_db()
    assert run.status == ImportRun.Status.INVALID and run.error_count == 3
    page = client.get(url("run", run))
    errors = {(e.row, e.column) for e in page.context["errors"]}
    assert errors == {(3, "Name"), (3, "Colour"), (3, "Count")}
    assert b"Problems found" in page.content
    assert b"purple" in page.content
    assert page.context["can_commit"] is False


def test_committing_before_a_check_is_refused_with_a_message(
    login, cast, mapping, tmp_path, django_capture_on_commit_callbacks
):
    run = start(cast, tmp_path, good_rows(2), mapping)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast.documenter).post(url("run_commit", run), follow=True)
    assert "Run a successful check (dry run) first." in shown_messages(response)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.UPLOADED
    assert created_rows() == []


def test_checking_without_a_mapping_is_refused_with_a_message(login, cast, mapping, tmp_path):
    run = start(cast, tmp_path, good_rows(2))
    response = login(cast.documenter).post(url("run_check", run), follow=True)
    assert "Choose a mapping first." in shown_messages(response)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.UPLOADED and run.progress_id in ("", None)


def test_a_committed_run_cannot_be_checked_again(
    login, cast, mapping, tmp_path, django_capture_on_commit_callbacks
):
    run = start(cast, tmp_path, good_rows(2), mapping)
    actions.dry_run(cast.documenter, run)
    actions.commit_run(cast.documenter, ImportRun.objects.get(pk=run.pk))
    response = login(cast.documenter).post(url("run_check", run), follow=True)
    assert "This import has already been committed." in shown_messages(response)
    assert ImportRun.objects.get(pk=run.pk).status == ImportRun.Status.COMMITTED
    assert len(created_rows()) == 2


def test_choosing_a_mapping_on_the_page_sets_it_and_the_mode(login, cast, mapping, tmp_path):
    run = start(cast, tmp_path, good_rows(2))
    response = login(cast.documenter).post(
        url("run_mapping", run), {"mapping": mapping.pk, "mode": "resumable"}
    )
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.mapping == mapping and run.mode == ImportRun.Mode.RESUMABLE
    assert run.status == ImportRun.Status.UPLOADED


def test_choosing_a_new_mapping_after_a_check_asks_for_a_new_check(login, cast, mapping, tmp_path):
    run = start(cast, tmp_path, good_rows(2), mapping)
    actions.dry_run(cast.documenter, run)
    assert ImportRun.objects.get(pk=run.pk).status == ImportRun.Status.VALID
    other = actions.save_mapping(
        cast.documenter, cast.acme, kind=KIND, name="Other", file_format="csv", spec=SPEC
    )
    login(cast.documenter).post(url("run_mapping", run), {"mapping": other.pk, "mode": "atomic"})
    run.refresh_from_db()
    assert run.mapping == other and run.status == ImportRun.Status.UPLOADED


@pytest.mark.parametrize("data", [{}, {"mode": "atomic"}, {"mapping": "999999", "mode": "atomic"}])
def test_an_incomplete_mapping_choice_asks_for_a_mapping_and_changes_nothing(
    login, cast, mapping, tmp_path, data
):
    run = start(cast, tmp_path, good_rows(2), mapping, mode="resumable")
    response = login(cast.documenter).post(url("run_mapping", run), data, follow=True)
    assert "Choose a mapping." in shown_messages(response)
    run.refresh_from_db()
    assert run.mapping == mapping and run.mode == ImportRun.Mode.RESUMABLE


def test_another_organisations_mapping_cannot_be_chosen_for_a_run(login, cast, mapping, tmp_path):
    theirs = actions.save_mapping(
        cast.outsider, cast.beacon, kind=KIND, name="Theirs", file_format="csv", spec=SPEC
    )
    run = start(cast, tmp_path, good_rows(2))
    response = login(cast.documenter).post(
        url("run_mapping", run), {"mapping": theirs.pk, "mode": "atomic"}, follow=True
    )
    assert "Choose a mapping." in shown_messages(response)
    assert ImportRun.objects.get(pk=run.pk).mapping is None


def test_a_committed_runs_mapping_cannot_be_changed(login, cast, mapping, tmp_path):
    run = start(cast, tmp_path, good_rows(2), mapping)
    actions.dry_run(cast.documenter, run)
    actions.commit_run(cast.documenter, ImportRun.objects.get(pk=run.pk))
    other = actions.save_mapping(
        cast.documenter, cast.acme, kind=KIND, name="Other", file_format="csv", spec=SPEC
    )
    response = login(cast.documenter).post(
        url("run_mapping", run), {"mapping": other.pk, "mode": "atomic"}, follow=True
    )
    assert "This import has already been committed." in shown_messages(response)
    run.refresh_from_db()
    assert run.mapping == mapping and run.status == ImportRun.Status.COMMITTED
    # The committed page offers no steps any more.
    assert b"Check the file" not in response.content


def test_the_page_shows_at_most_the_first_problems_and_says_how_many_there_are(
    login, cast, mapping, tmp_path, monkeypatch
):
    from justicework.dataio import views

    monkeypatch.setattr(views, "SHOWN_ERRORS", 2)
    run = start(cast, tmp_path, [[f"r{i}", "", "", "", ""] for i in range(4)], mapping)
    actions.dry_run(cast.documenter, run)
    run.refresh_from_db()
    assert RowError.objects.filter(run=run).count() == 4
    page = login(cast.documenter).get(url("run", run))
    assert len(page.context["errors"]) == 2
    assert b"The first 2 of 4 problems" in page.content


def test_the_run_steps_answer_post_only(login, cast, mapping, tmp_path):
    run = start(cast, tmp_path, good_rows(1), mapping)
    client = login(cast.documenter)
    for name in ("run_mapping", "run_check", "run_commit"):
        assert client.get(url(name, run)).status_code == 405, name


def test_an_unknown_run_is_not_found(login, cast, rows_schema):
    client = login(cast.documenter)
    assert client.get(reverse("dataio:run", args=[987654])).status_code == 404
    assert client.post(reverse("dataio:run_check", args=[987654])).status_code == 404


@pytest.mark.parametrize("who", ["outsider", "beacon_admin", "viewer"])
def test_someone_without_import_in_acme_gets_404_for_every_step_and_nothing_changes(
    login, cast, mapping, tmp_path, who, django_capture_on_commit_callbacks
):
    run = start(cast, tmp_path, good_rows(2), mapping)
    actions.dry_run(cast.documenter, run)
    client = login(getattr(cast, who))
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(url("run", run)).status_code == 404
        assert client.post(url("run_check", run)).status_code == 404
        assert client.post(url("run_commit", run)).status_code == 404
        assert (
            client.post(
                url("run_mapping", run), {"mapping": mapping.pk, "mode": "atomic"}
            ).status_code
            == 404
        )
    run.refresh_from_db()
    assert run.status == ImportRun.Status.VALID
    assert created_rows() == []
