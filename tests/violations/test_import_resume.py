"""Resuming an import whose process was killed (issue 9, finding 9): the run is marked failed
on the next command or page, `justicework import --resume` continues the same run, and its
counts are those of what is committed, over all its attempts."""

from __future__ import annotations

import io
import socket

import pytest
from django.core.management import call_command
from django.urls import reverse

from justicework.dataio import actions as dataio_actions
from justicework.dataio import engine
from justicework.dataio.models import ImportRun
from justicework.violations import actions
from justicework.violations.models import Violation

from .test_import import MAPPING, csv_file, row
from .test_import_views import login

DEAD = f"{socket.gethostname()}|999999999|no-such-boot/1"  # no process has this pid


@pytest.fixture
def mapping(cast):
    return dataio_actions.save_mapping(
        cast.documenter, cast.acme, kind="violations", name="Survey", file_format="csv",
        spec=MAPPING,
    )  # fmt: skip


def _crash_after_first_chunk(monkeypatch):
    monkeypatch.setattr(engine, "CHUNK_SIZE", 2)
    real = actions.bulk_create_violations
    calls = {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("simulated crash")
        return real(*args, **kwargs)

    # The importer looks the name up on the package at call time: patching it there is
    # patching every caller (a crash that never comes fails the caller's pytest.raises).
    monkeypatch.setattr(actions, "bulk_create_violations", flaky)
    return lambda: monkeypatch.setattr(actions, "bulk_create_violations", real)


def _as_if_killed(run):
    """What a `kill -9` leaves: the run still "committing", owned by a process that is gone."""
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.COMMITTING, owner=DEAD)


def test_a_resumed_run_counts_the_rows_of_all_its_attempts(cast, tmp_path, mapping, monkeypatch):
    # Two rows imported before by another run are the only ones "already imported".
    earlier = csv_file(tmp_path, [row(4), row(5)], name="earlier.csv")
    dataio_actions.import_file(
        cast.documenter, cast.acme, kind="violations", path=earlier, file_format="csv",
        mapping=mapping,
    )  # fmt: skip
    path = csv_file(tmp_path, [row(n) for n in range(1, 8)])
    restore = _crash_after_first_chunk(monkeypatch)
    with pytest.raises(RuntimeError):
        dataio_actions.import_file(
            cast.documenter, cast.acme, kind="violations", path=path, file_format="csv",
            mapping=mapping, mode="resumable",
        )  # fmt: skip
    run = ImportRun.objects.get(filename="v.csv")
    assert run.status == ImportRun.Status.FAILED and run.created_rows == 2
    restore()
    run = dataio_actions.commit_run(cast.documenter, run)
    assert run.status == ImportRun.Status.COMMITTED
    assert (run.processed_rows, run.created_rows, run.skipped_rows) == (7, 5, 2)
    assert Violation.objects.count() == 7


def test_the_command_line_marks_a_killed_run_failed_and_resumes_it(
    cast, tmp_path, mapping, monkeypatch
):
    path = csv_file(tmp_path, [row(n) for n in range(1, 6)])
    restore = _crash_after_first_chunk(monkeypatch)
    with pytest.raises(RuntimeError):
        dataio_actions.import_file(
            cast.documenter, cast.acme, kind="violations", path=path, file_format="csv",
            mapping=mapping, mode="resumable",
        )  # fmt: skip
    restore()
    run = ImportRun.objects.get()
    _as_if_killed(run)
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import", "violations", str(path), "--organisation", cast.acme.slug,
        "--as", cast.documenter.email, "--mapping", "Survey", "--resume",
        stdout=out, stderr=err,
    )  # fmt: skip
    assert "1 import(s) whose process had ended were marked failed" in err.getvalue()
    assert f"Resuming import #{run.pk}" in err.getvalue()
    assert f"Import #{run.pk}: 5 rows, 5 created, 0 already imported" in out.getvalue()
    assert ImportRun.objects.count() == 1
    assert Violation.objects.count() == 5


def test_resume_without_a_stopped_run_starts_a_new_import(cast, tmp_path, mapping):
    path = csv_file(tmp_path, [row(1), row(2)])
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import", "violations", str(path), "--organisation", cast.acme.slug,
        "--as", cast.documenter.email, "--mapping", "Survey", "--resume",
        stdout=out, stderr=err,
    )  # fmt: skip
    assert "No stopped import of this file" in err.getvalue()
    assert "2 rows, 2 created" in out.getvalue()


def test_the_run_page_shows_a_killed_run_as_failed_and_resumable(client, cast, mapping):
    run = dataio_actions.start_run(
        cast.documenter, cast.acme, kind="violations", file_format="csv", filename="v.csv",
        chunks=[b"Case\nC1\n"], mapping=mapping,
    )  # fmt: skip
    _as_if_killed(run)
    login(client, cast.documenter)
    page = client.get(reverse("dataio:run", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert b"Run it again to resume" in page.content
    other = dataio_actions.start_run(
        cast.documenter, cast.acme, kind="violations", file_format="csv", filename="w.csv",
        chunks=[b"Case\nC1\n"], mapping=mapping,
    )  # fmt: skip
    _as_if_killed(other)
    client.get(reverse("dataio:index", args=["violations"]))
    other.refresh_from_db()
    assert other.status == ImportRun.Status.FAILED
