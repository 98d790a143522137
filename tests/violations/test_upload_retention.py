"""Uploaded import files (rows in clear) are removed when nobody imports them in time."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from justicework.audit.models import AuditEntry
from justicework.audit.verify import verify_chain
from justicework.dataio import actions as dataio_actions
from justicework.dataio.models import ImportRun
from justicework.dataio.retention import purge_uploads

from .test_import import MAPPING, csv_file, row

pytestmark = pytest.mark.django_db


def upload(cast, tmp_path, name="v.csv") -> ImportRun:
    mapping = dataio_actions.save_mapping(
        cast.documenter, cast.acme, kind="violations", name=f"Survey {name}", file_format="csv",
        spec=MAPPING,
    )  # fmt: skip
    data = csv_file(tmp_path, [row(1), row(2)], name=name).read_bytes()
    return dataio_actions.start_run(
        cast.documenter, cast.acme, kind="violations", file_format="csv", filename=name,
        chunks=[data], mapping=mapping,
    )  # fmt: skip


def age(run: ImportRun, hours: int) -> None:
    ImportRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - timedelta(hours=hours))


def test_an_upload_nobody_imports_is_removed_after_the_ttl_and_audited(cast, tmp_path, settings):
    settings.IMPORT_UPLOAD_TTL_HOURS = 24
    run = upload(cast, tmp_path)
    path = Path(run.stored_path)
    assert path.exists()
    assert purge_uploads().runs == 0 and path.exists()  # fresh: kept
    age(run, 25)
    report = purge_uploads()
    assert report.runs == 1 and not path.exists()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED and run.stored_path == ""
    assert "24 hours" in run.problem
    entry = AuditEntry.objects.get(action="dataio.run.upload_removed", object_id=str(run.pk))
    assert entry.diff["file_existed"] is True and entry.actor_id is None
    assert verify_chain().ok
    # nothing is left to check or import, and it says so
    run = dataio_actions.dry_run(cast.documenter, run)
    assert run.status == ImportRun.Status.INVALID
    assert purge_uploads().runs == 0  # a second purge has nothing to do


def test_a_run_being_imported_keeps_its_file(cast, tmp_path):
    run = upload(cast, tmp_path)
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.COMMITTING)
    age(run, 100)
    assert purge_uploads().runs == 0
    assert Path(run.stored_path).exists()


def test_a_new_upload_purges_the_old_ones(cast, tmp_path):
    old = upload(cast, tmp_path, "old.csv")
    age(old, 48)
    new = upload(cast, tmp_path, "new.csv")
    old.refresh_from_db()
    assert old.stored_path == "" and Path(new.stored_path).exists()


def test_orphan_files_are_removed_once_old(cast, tmp_path):
    directory = dataio_actions.upload_dir()
    stale, fresh = directory / "stale.csv", directory / "fresh.csv"
    stale.write_text("name\nsomeone\n")
    fresh.write_text("name\nsomeone\n")
    long_ago = time.time() - 3 * 86400
    os.utime(stale, (long_ago, long_ago))
    assert purge_uploads().orphans == 1
    assert not stale.exists() and fresh.exists()
    fresh.unlink()


def test_purge_command(cast, tmp_path, capsys):
    run = upload(cast, tmp_path)
    call_command("purge_uploads")
    assert Path(run.stored_path).exists()  # younger than the setting
    call_command("purge_uploads", "--older-than-hours", "0")
    run.refresh_from_db()
    assert run.stored_path == ""
    assert "Removed the files of 1 import run(s)" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        call_command("purge_uploads", "--older-than-hours", "-1")


def test_a_committed_upload_is_deleted_at_once_and_not_purged_again(cast, tmp_path):
    run = upload(cast, tmp_path)
    path = Path(run.stored_path)
    run = dataio_actions.dry_run(cast.documenter, run)
    run = dataio_actions.commit_run(cast.documenter, run)
    assert run.status == ImportRun.Status.COMMITTED and not path.exists()
    assert ImportRun.objects.get(pk=run.pk).stored_path == ""
    age(run, 100)
    assert purge_uploads().runs == 0
    assert not AuditEntry.objects.filter(action="dataio.run.upload_removed").exists()
