"""Runs whose process was killed (issue 9, finding 9): told apart from running ones by the
owner recorded on the run (host, pid, start marker), marked failed and resumable, with the
true count of committed rows; a resumed run's counts cover all its attempts."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from justicework.audit.models import AuditEntry
from justicework.dataio import actions, liveness
from justicework.dataio.models import ImportedRow, ImportRun


def _owner_of_ended_process() -> str:
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        owner = f"{socket.gethostname()}|{process.pid}|{liveness._start_marker(process.pid)}"
        assert not liveness.owner_gone(owner)
    finally:
        process.kill()
        process.wait()
    return owner


def test_this_process_is_not_gone_and_an_ended_one_is():
    assert not liveness.owner_gone(liveness.current_owner())
    assert liveness.owner_gone(_owner_of_ended_process())


@pytest.mark.skipif(not liveness.PROC.is_dir(), reason="start markers come from /proc")
def test_a_pid_used_again_by_another_process_is_gone():
    host, pid, marker = liveness.current_owner().split("|")
    boot, ticks = marker.split("/")
    assert liveness.owner_gone(f"{host}|{pid}|{boot}/{int(ticks) + 1}")
    assert liveness.owner_gone(f"{host}|{pid}|another-boot/{ticks}")


@pytest.mark.parametrize("owner", ["", "garbage", "elsewhere.example|1|x/1"])
def test_an_owner_that_cannot_be_checked_is_not_called_gone(owner):
    assert not liveness.owner_gone(owner)


def _run(acme, status, owner, **extra):
    return ImportRun.objects.create(
        organisation=acme, kind="testrows", file_format="csv", status=status, owner=owner, **extra
    )


def test_runs_whose_process_ended_are_marked_failed_with_their_committed_rows(acme, beacon):
    gone = _owner_of_ended_process()
    killed = _run(acme, ImportRun.Status.COMMITTING, gone, created_rows=999, mode="resumable")
    checking = _run(acme, ImportRun.Status.VALIDATING, gone)
    alive = _run(acme, ImportRun.Status.COMMITTING, liveness.current_owner())
    legacy = _run(acme, ImportRun.Status.COMMITTING, "")
    elsewhere = _run(beacon, ImportRun.Status.COMMITTING, gone)
    ImportedRow.objects.bulk_create(
        ImportedRow(organisation=acme, kind="testrows", key_hash=f"{i:064x}", run=killed)
        for i in range(3)
    )
    assert actions.fail_stale_runs(acme) == 2
    for run in (killed, checking, alive, legacy, elsewhere):
        run.refresh_from_db()
    assert killed.status == checking.status == ImportRun.Status.FAILED
    assert "Run it again to resume" in killed.problem
    assert "Nothing was written: check the file again" in checking.problem
    assert killed.created_rows == 3  # what is committed, not what was last reported
    assert killed.finished_at is not None
    assert alive.status == legacy.status == elsewhere.status == ImportRun.Status.COMMITTING
    entries = AuditEntry.objects.filter(action="dataio.run.stopped")
    assert sorted(int(e.object_id) for e in entries) == sorted([killed.pk, checking.pk])
    assert actions.fail_stale_runs(acme) == 0  # once


def test_a_killed_run_can_be_scheduled_again(cast, monkeypatch):
    from justicework.dataio.models import Mapping

    mapping = Mapping.objects.create(organisation=cast.acme, kind="testrows", name="m")
    run = _run(cast.acme, ImportRun.Status.COMMITTING, _owner_of_ended_process(), mapping=mapping)
    monkeypatch.setattr("justicework.tasks.actions.enqueue_with_progress", lambda *a: None)
    actions.schedule(cast.documenter, run, "commit")
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    alive = _run(cast.acme, ImportRun.Status.COMMITTING, liveness.current_owner(), mapping=mapping)
    with pytest.raises(Exception, match="already running"):
        actions.schedule(cast.documenter, alive, "commit")


def test_the_run_page_marks_a_killed_commit_failed(client, cast):
    run = _run(cast.acme, ImportRun.Status.COMMITTING, _owner_of_ended_process())
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=cast.documenter, type=Authenticator.Type.TOTP, data={})
    client.force_login(cast.documenter)
    response = client.get(f"/data/runs/{run.pk}/")
    assert response.status_code == 200
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert "Run it again to resume" in run.problem


def test_a_worker_starting_any_import_marks_a_killed_commit_failed(cast, monkeypatch):
    from justicework.dataio import runs, tasks

    killed = _run(cast.beacon, ImportRun.Status.COMMITTING, _owner_of_ended_process())
    other = _run(cast.acme, ImportRun.Status.UPLOADED, "")
    monkeypatch.setattr(runs, "dry_run", lambda actor, run, on_progress=None: run)
    monkeypatch.setattr(tasks, "tracking", _no_tracking)
    tasks.run_import.call(0, other.pk, cast.documenter.pk, "check")
    killed.refresh_from_db()
    assert killed.status == ImportRun.Status.FAILED
    assert "Run it again to resume" in killed.problem


class _no_tracking:  # stands in for tasks.actions.tracking (a context manager)
    def __init__(self, progress_id):
        pass

    def __enter__(self):
        class Tracker:
            done = 0

            def finish(self, **kwargs):
                pass

        return Tracker()

    def __exit__(self, *exc):
        return False
