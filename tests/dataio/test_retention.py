"""``dataio.retention.purge_uploads`` (generic ``testrows`` kind): what it removes and when,
what it never touches (a young upload, a run being written, a file outside the upload
directory), what it tells the run's owner and the audit log."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from justicework.audit.models import AuditEntry
from justicework.dataio import actions
from justicework.dataio.models import ImportRun
from justicework.dataio.retention import PurgeReport, purge_uploads, upload_ttl

from .conftest import HEADER, KIND, SPEC, good_rows, write_csv


@pytest.fixture
def mapping(rows_schema, cast):
    return actions.save_mapping(
        cast.documenter, cast.acme, kind=KIND, name="Rows", file_format="csv", spec=SPEC
    )


def upload(cast, tmp_path, mapping, name="rows.csv") -> ImportRun:
    path = write_csv(tmp_path / name, [HEADER, *good_rows(2)])
    return actions.start_run(
        cast.documenter, cast.acme, kind=KIND, file_format="csv", filename=name,
        chunks=[path.read_bytes()], mapping=mapping,
    )  # fmt: skip


def age(run: ImportRun, hours: int) -> None:
    ImportRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - timedelta(hours=hours))


def removals() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="dataio.run.upload_removed"))


def test_the_time_to_live_comes_from_the_settings(settings):
    settings.IMPORT_UPLOAD_TTL_HOURS = 6
    assert upload_ttl() == timedelta(hours=6)


def test_a_young_upload_is_kept(cast, tmp_path, mapping):
    run = upload(cast, tmp_path, mapping)
    assert purge_uploads() == PurgeReport(runs=0, orphans=0)
    run.refresh_from_db()
    assert Path(run.stored_path).exists() and run.status == ImportRun.Status.UPLOADED
    assert not removals()


def test_an_old_checked_upload_is_removed_and_the_run_says_why(cast, tmp_path, mapping, settings):
    settings.IMPORT_UPLOAD_TTL_HOURS = 24
    run = upload(cast, tmp_path, mapping)
    actions.dry_run(cast.documenter, run)
    path = Path(ImportRun.objects.get(pk=run.pk).stored_path)
    age(run, 25)
    assert purge_uploads().runs == 1
    run.refresh_from_db()
    assert not path.exists() and run.stored_path == ""
    assert run.status == ImportRun.Status.FAILED
    assert "removed 24 hours after it was uploaded" in run.problem
    (entry,) = removals()
    assert entry.diff["file_existed"] is True
    assert entry.organisation_id == cast.acme.pk and entry.actor_id is None


def test_a_given_time_to_live_overrides_the_setting(cast, tmp_path, mapping):
    run = upload(cast, tmp_path, mapping)
    age(run, 2)
    assert purge_uploads(ttl=timedelta(hours=3)).runs == 0
    assert purge_uploads(ttl=timedelta(hours=1)).runs == 1


def test_a_run_being_written_keeps_its_file_however_old(cast, tmp_path, mapping):
    run = upload(cast, tmp_path, mapping)
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.COMMITTING)
    age(run, 1000)
    assert purge_uploads().runs == 0
    assert Path(ImportRun.objects.get(pk=run.pk).stored_path).exists()


def test_a_file_outside_the_upload_directory_is_never_deleted(cast, tmp_path, mapping):
    run = upload(cast, tmp_path, mapping)
    elsewhere = tmp_path / "precious.csv"
    elsewhere.write_text("not ours to delete")
    ImportRun.objects.filter(pk=run.pk).update(stored_path=str(elsewhere))
    age(run, 100)
    assert purge_uploads().runs == 1
    assert elsewhere.read_text() == "not ours to delete"
    run.refresh_from_db()
    assert run.stored_path == ""
    (entry,) = removals()
    assert entry.diff["file_existed"] is False


def test_a_committed_run_whose_file_remained_only_forgets_the_path(cast, tmp_path, mapping):
    run = upload(cast, tmp_path, mapping)
    path = Path(run.stored_path)
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.COMMITTED)
    age(run, 100)
    purge_uploads()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.COMMITTED and run.problem == ""
    assert run.stored_path == "" and not path.exists()


def test_a_second_purge_finds_nothing_more(cast, tmp_path, mapping):
    run = upload(cast, tmp_path, mapping)
    age(run, 100)
    assert purge_uploads().runs == 1
    assert purge_uploads() == PurgeReport(runs=0, orphans=0)
    assert len(removals()) == 1


def test_a_young_orphan_file_is_kept_and_an_old_one_removed(cast, tmp_path, mapping):
    directory = actions.upload_dir()
    orphan = directory / "left-by-a-crash.csv"
    orphan.write_bytes(b"rows")
    assert purge_uploads().orphans == 0 and orphan.exists()
    later = timezone.now() + upload_ttl() + timedelta(minutes=1)
    assert purge_uploads(now=later).orphans >= 1  # other tests leave files behind too
    assert not orphan.exists()
