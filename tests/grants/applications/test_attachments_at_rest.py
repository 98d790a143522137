"""Attachments encrypted at rest under the programme's organisation's key: no plaintext on
disk, the download decrypts for who may read and 404 for everyone else, a tampered file is
refused, a crash while writing leaves no file under its name, and the data migration seals
files kept in clear before (all or nothing)."""

from __future__ import annotations

import hashlib
import importlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.messages import get_messages
from django.urls import reverse

from justicework.audit.models import AuditEntry
from justicework.evidence.storage import local as local_store
from justicework.evidence.storage import sealing
from justicework.grants import actions_application_files as files
from justicework.grants import actions_applications as actions
from justicework.grants import application_files
from justicework.grants.application_files import AttachmentDamaged
from justicework.grants.attachments_at_rest import (
    PlainAttachmentsRefused,
    seal_plain_attachments,
    unseal_attachments,
)
from justicework.grants.models import Attachment
from tests.grants.applications.conftest import complete, pdf_bytes

MARKER = "Statutes of the Kharkiv association, article 7"
MIGRATION = importlib.import_module("justicework.grants.migrations.0004_seal_attachments")


@pytest.fixture(autouse=True)
def _own_data_dir(settings, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    settings.GRANTS_DIR = tmp_path / "grants"


def _stored_files() -> list[Path]:
    return [p for p in application_files.store().root.rglob("*") if p.is_file()]


def _sealed_path(attachment: Attachment) -> Path:
    key = application_files.key_for(attachment.sha256, attachment.application.call.organisation_id)
    return application_files.store().root / key


def _attach(draft, applicant, text: str = MARKER) -> tuple[Attachment, bytes]:
    data = pdf_bytes(text)
    attachment = files.add_attachment(
        applicant.user, draft, kind="statutes", name="statutes.pdf", chunks=[data]
    )
    return attachment, data


def _tamper(path: Path, data: bytes | None = None) -> None:
    os.chmod(path, 0o600)
    if data is None:
        raw = bytearray(path.read_bytes())
        raw[-40] ^= 0x01  # a bit of the last chunk's ciphertext
        data = bytes(raw)
    path.write_bytes(data)


def test_the_bytes_on_disk_are_not_the_plaintext(draft, applicant, acme) -> None:
    attachment, data = _attach(draft, applicant)
    stored = _stored_files()
    assert stored == [_sealed_path(attachment)]
    assert stored[0].relative_to(application_files.store().root).parts[:2] == (
        "sealed", str(acme.pk)
    )  # fmt: skip
    raw = stored[0].read_bytes()
    assert data not in raw and b"%PDF" not in raw and MARKER.encode() not in raw
    assert raw.startswith(sealing.MAGIC)
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert attachment.size == len(data) and attachment.media_type == "application/pdf"


def test_the_same_file_twice_is_stored_once(draft, applicant) -> None:
    first, _data = _attach(draft, applicant)
    second, _data = _attach(draft, applicant)
    assert first.sha256 == second.sha256 and len(_stored_files()) == 1


def test_a_refused_type_leaves_nothing_on_disk(draft, applicant) -> None:
    with pytest.raises(Exception, match=r"type \(text/plain\) cannot be attached"):
        files.add_attachment(applicant.user, draft, kind="other", name="a.pdf", chunks=[b"hi"])
    assert _stored_files() == [] and not Attachment.objects.exists()


def test_allowed_readers_download_the_plaintext_audited(
    draft, applicant, other_applicant, cast, login
) -> None:
    actions.set_co_applicants(applicant.user, draft, [other_applicant.entity])
    complete(draft, applicant.user)
    attachment, data = _attach(draft, applicant)
    actions.submit_application(applicant.user, draft)
    url = reverse("grants:attachment_download", args=[attachment.pk])
    for user in (applicant.user, other_applicant.user, cast.officer):
        response = login(user).get(url)
        assert response.status_code == 200, user
        assert b"".join(response.streaming_content) == data
    reads = AuditEntry.objects.filter(action="grants.attachment.read", object_id=str(attachment.pk))
    assert reads.count() == 3


def test_everyone_else_gets_404_and_nothing_is_decrypted(draft, applicant, cast, login) -> None:
    attachment, _data = _attach(draft, applicant)
    url = reverse("grants:attachment_download", args=[attachment.pk])
    # the programme officer too: a draft is the applicant's alone
    for user in (cast.officer, cast.reviewer, cast.viewer, cast.admin, cast.outsider):
        assert login(user).get(url).status_code == 404, user
    assert not AuditEntry.objects.filter(action="grants.attachment.read").exists()


def test_a_changed_byte_is_refused_with_a_clear_error(draft, applicant, login) -> None:
    attachment, _data = _attach(draft, applicant)
    _tamper(_sealed_path(attachment))
    with pytest.raises(AttachmentDamaged, match=r"statutes\.pdf failed its integrity check"):
        files.open_attachment(applicant.user, attachment)
    client = login(applicant.user)
    response = client.get(reverse("grants:attachment_download", args=[attachment.pk]))
    assert response.status_code == 302 and "streaming_content" not in vars(response)
    assert response["Location"].endswith("#attachments")
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("failed its integrity check" in text for text in shown)
    assert AuditEntry.objects.filter(action="grants.attachment.damaged").count() == 2
    assert not AuditEntry.objects.filter(action="grants.attachment.read").exists()


def test_a_validly_sealed_other_file_fails_the_sha256_check(draft, applicant) -> None:
    attachment, _data = _attach(draft, applicant)
    other, _other = _attach(draft, applicant, text="Another document entirely")
    _tamper(_sealed_path(attachment), _sealed_path(other).read_bytes())
    with pytest.raises(AttachmentDamaged):
        files.open_attachment(applicant.user, attachment)


def test_a_file_sealed_for_another_organisation_is_refused(
    draft, applicant, cast, programme
) -> None:
    attachment, _data = _attach(draft, applicant)
    path = _sealed_path(attachment)
    with path.open("rb") as source:
        plain = source.read()
    foreign = sealing.seal_bytes(plain, cast.beacon.pk, application_files.CONTEXT)
    _tamper(path, foreign)
    with pytest.raises(AttachmentDamaged):
        files.open_attachment(applicant.user, attachment)


def test_a_missing_file_is_refused(draft, applicant) -> None:
    attachment, _data = _attach(draft, applicant)
    _sealed_path(attachment).unlink()
    with pytest.raises(AttachmentDamaged, match="missing"):
        files.open_attachment(applicant.user, attachment)


def test_a_crash_while_receiving_leaves_no_file(draft, applicant) -> None:
    def interrupted() -> Iterator[bytes]:
        yield pdf_bytes()[:100]
        raise ConnectionResetError("the client went away")

    with pytest.raises(ConnectionResetError):
        files.add_attachment(
            applicant.user, draft, kind="statutes", name="s.pdf", chunks=interrupted()
        )
    assert _stored_files() == [] and not Attachment.objects.exists()


def test_leftovers_of_a_killed_process_are_swept_by_the_next_upload(draft, applicant) -> None:
    """A process killed mid-upload cannot remove its temporary file: the next upload does,
    once it is older than any request lasts; a file being written now is left alone."""
    incoming = application_files.incoming()
    stale, fresh = incoming / "old.part", incoming / "now.part"
    for path in (stale, fresh, incoming / "old.sealing"):
        path.write_bytes(b"sealed leftovers")
    old = application_files.STALE_AFTER.total_seconds() + 60
    for path in (stale, incoming / "old.sealing"):
        os.utime(path, (path.stat().st_atime - old, path.stat().st_mtime - old))
    files.add_attachment(applicant.user, draft, kind="statutes", name="s.pdf", chunks=[pdf_bytes()])
    assert sorted(p.name for p in incoming.iterdir()) == ["now.part"]


def test_a_crash_while_storing_leaves_no_half_file_under_its_name(
    draft, applicant, monkeypatch
) -> None:
    def no_link(*_args: object) -> None:
        raise OSError("cross-device link")  # the copy, fsync and rename path

    def cut_copy(reading, writing, _length: int = 0) -> None:
        writing.write(reading.read(50))
        raise OSError("disk full")

    monkeypatch.setattr(local_store.os, "link", no_link)
    monkeypatch.setattr(local_store.shutil, "copyfileobj", cut_copy)
    with pytest.raises(OSError, match="disk full"):
        _attach(draft, applicant)
    sealed = [p for p in _stored_files() if "sealed" in p.parts]
    assert [p.name.endswith(".tmp") for p in sealed] == [True]  # the cut temporary copy only
    assert not Attachment.objects.exists()
    monkeypatch.undo()
    attachment, data = _attach(draft, applicant)  # a retry stores the whole file
    with files.open_attachment(applicant.user, attachment) as handle:
        assert handle.read() == data


# --- the data migration: files kept in clear before ------------------------------------------


def _as_before(attachment: Attachment, data: bytes) -> Path:
    """Put the attachment back as the old code kept it: in clear, no sealed file."""
    _sealed_path(attachment).unlink()
    plain = application_files.store().path_for(attachment.sha256)
    plain.parent.mkdir(parents=True, exist_ok=True)
    plain.write_bytes(data)
    return plain


def test_the_migration_seals_files_kept_in_clear_and_removes_them(
    draft, applicant, django_capture_on_commit_callbacks
) -> None:
    attachment, data = _attach(draft, applicant)
    plain = _as_before(attachment, data)
    with django_capture_on_commit_callbacks(execute=True):
        MIGRATION.seal(apps, None)
    assert not plain.exists() and not (application_files.store().root / "originals").exists()
    assert all(data not in p.read_bytes() for p in _stored_files())
    with files.open_attachment(applicant.user, attachment) as handle:
        assert handle.read() == data
    with django_capture_on_commit_callbacks(execute=True):
        assert seal_plain_attachments(Attachment) == 0  # again: nothing to do


def test_the_migration_refuses_a_missing_file_and_undoes_what_it_sealed(
    draft, applicant, django_capture_on_commit_callbacks
) -> None:
    first, first_data = _attach(draft, applicant)
    second, second_data = _attach(draft, applicant, text="Proof of registration")
    first_plain = _as_before(first, first_data)
    _as_before(second, second_data).unlink()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(PlainAttachmentsRefused, match=rf"Attachment {second.pk} .*is missing"),
    ):
        seal_plain_attachments(Attachment)
    assert callbacks == []
    assert first_plain.exists() and not _sealed_path(first).exists()  # as it was


def test_the_migration_refuses_a_file_that_is_not_its_sha256(draft, applicant) -> None:
    attachment, data = _attach(draft, applicant)
    _as_before(attachment, data).write_bytes(data + b"changed")
    with pytest.raises(PlainAttachmentsRefused, match=f"Attachment {attachment.pk} "):
        seal_plain_attachments(Attachment)
    assert not _sealed_path(attachment).exists()


def test_the_migration_reverses_to_files_in_clear(draft, applicant) -> None:
    attachment, data = _attach(draft, applicant)
    assert unseal_attachments(Attachment) == 1
    assert application_files.store().path_for(attachment.sha256).read_bytes() == data


@pytest.mark.django_db(transaction=True)
def test_the_migration_runs_back_and_forth_through_the_executor(draft, applicant) -> None:
    """Through Django's migration executor, each step its own committed transaction: back to
    0003 writes the files in clear, forward to 0004 seals them and removes them at commit."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    attachment, data = _attach(draft, applicant)
    plain = application_files.store().path_for(attachment.sha256)
    MigrationExecutor(connection).migrate([("grants", "0003_join_money_and_review")])
    try:
        assert plain.read_bytes() == data
        _sealed_path(attachment).unlink()  # as the old code left it: in clear only
    finally:
        # forward through 0004 to the app's latest migration: later ones' tables must be back
        # for the tests that run after this one
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes("grants"))
    assert not plain.exists() and _sealed_path(attachment).exists()
    with files.open_attachment(applicant.user, attachment) as handle:
        assert handle.read() == data
