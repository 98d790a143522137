"""Stored files of removed attachments are removed by the daily sweep once no attachment
holds them and they have not been used for ``STALE_AFTER``; a file attached again meanwhile is
kept, and each organisation's removals are audited."""

from __future__ import annotations

import os
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from justicework.audit.models import AuditEntry
from justicework.grants import actions_application_files as files
from justicework.grants import application_files
from justicework.grants.models import Attachment
from tests.grants.applications.conftest import pdf_bytes

LONG_AGO = time.time() - application_files.STALE_AFTER.total_seconds() - 60


@pytest.fixture(autouse=True)
def _own_grants_dir(settings, tmp_path: Path) -> None:
    settings.GRANTS_DIR = tmp_path / "grants"


def _attach(draft, applicant, text: str) -> Attachment:
    return files.add_attachment(
        applicant.user, draft, kind="statutes", name="s.pdf", chunks=[pdf_bytes(text)]
    )


def _path(attachment: Attachment) -> Path:
    vault = attachment.application.call.organisation_id
    return application_files.store().path_for(application_files.key_for(attachment.sha256, vault))


def _age(path: Path) -> None:
    os.utime(path, (LONG_AGO, LONG_AGO))


def test_a_removed_attachments_file_is_removed_and_audited(draft, applicant) -> None:
    kept = _attach(draft, applicant, "Statutes")
    gone = _attach(draft, applicant, "Old declaration")
    path, sha256 = _path(gone), gone.sha256
    _age(path)
    _age(_path(kept))
    files.remove_attachment(applicant.user, gone)

    assert files.remove_unused_files() == 1

    assert not path.exists() and _path(kept).exists()
    entry = AuditEntry.objects.get(action="grants.attachment.files_removed")
    assert entry.diff == {"sha256": [sha256]}
    assert entry.organisation_id == draft.call.organisation_id


def test_a_file_another_attachment_holds_stays(draft, applicant) -> None:
    first = _attach(draft, applicant, "Shared statutes")
    second = _attach(draft, applicant, "Shared statutes")
    _age(_path(first))
    files.remove_attachment(applicant.user, first)

    assert files.remove_unused_files() == 0
    assert _path(second).exists()
    assert not AuditEntry.objects.filter(action="grants.attachment.files_removed").exists()


def test_a_recently_removed_file_waits_for_the_grace_period(draft, applicant) -> None:
    attachment = _attach(draft, applicant, "Just removed")
    path = _path(attachment)
    files.remove_attachment(applicant.user, attachment)

    assert files.remove_unused_files() == 0 and path.exists()
    _age(path)
    assert files.remove_unused_files() == 1 and not path.exists()


def test_a_file_being_attached_again_is_marked_used(draft, applicant) -> None:
    attachment = _attach(draft, applicant, "Attached again")
    path, vault = _path(attachment), attachment.application.call.organisation_id
    files.remove_attachment(applicant.user, attachment)
    _age(path)
    # An upload of the same bytes whose attachment row is not committed yet.
    received = application_files.receive("again.pdf", [pdf_bytes("Attached again")], vault)
    application_files.keep(received)

    assert files.remove_unused_files() == 0 and path.exists()


def test_the_command_reports_how_many_files_went(draft, applicant) -> None:
    attachment = _attach(draft, applicant, "Removed by the command")
    _age(_path(attachment))
    files.remove_attachment(applicant.user, attachment)
    out = StringIO()

    call_command("grant_attachment_sweep", stdout=out)

    assert out.getvalue().strip() == "1 stored file(s) removed."
    assert not _path(attachment).exists()
