"""``backup.actions`` refusals that protect an instance: a backup never starts inside a
transaction, a restore never writes outside the upload directories (absolute paths, ``..``,
unknown roots) and never onto an instance that has rows or files; uploaded files are listed by
their root's name and symlinks are left out."""

from __future__ import annotations

import zipfile

import pytest

from justicework.backup import actions
from justicework.backup.archive import BackupError
from tests.conftest import make_org


@pytest.fixture
def roots(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.DATA_DIR = tmp_path / "data"
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    settings.GRANTS_DIR = tmp_path / "grants"
    return actions.file_roots()


def test_the_upload_roots_are_named_by_what_they_hold(roots, tmp_path):
    assert roots == {
        "files": tmp_path / "media",
        "imports": tmp_path / "data" / "imports",
        "evidence": tmp_path / "evidence",
        "grants": tmp_path / "grants",
    }


def test_files_being_written_are_not_uploaded_files(roots):
    for name in ["evidence", "grants"]:
        (roots[name] / "incoming").mkdir(parents=True)
        (roots[name] / "incoming" / "capture.part").write_bytes(b"half")
    (roots["evidence"] / "sealed" / "1").mkdir(parents=True)
    (roots["evidence"] / "sealed" / "1" / "a.bin").write_bytes(b"sealed")

    assert [name for name, _path in actions._uploaded_files()] == ["evidence/sealed/1/a.bin"]


@pytest.mark.parametrize(
    "relative",
    [
        "/etc/passwd",
        "files/../../etc/passwd",
        "imports/a/../../../x",
        "files",
        "secrets/key.bin",
        "../files/a.bin",
    ],
)
def test_a_file_name_outside_the_upload_directories_is_refused_by_name(roots, relative):
    with pytest.raises(BackupError, match="outside the upload directories") as refused:
        actions._safe_relative(relative)
    assert repr(relative) in str(refused.value)


@pytest.mark.parametrize("relative", ["files/a.bin", "imports/1/abc.sealed", "files/x/y/z.pdf"])
def test_a_file_name_inside_an_upload_directory_is_accepted(roots, relative):
    assert actions._safe_relative(relative).as_posix() == relative


def test_unpacking_refuses_a_traversing_name_before_writing_anything(roots, tmp_path):
    into = tmp_path / "staging"
    into.mkdir()
    manifest = {"files": {"files/../../escape.txt": {"sha256": "", "size": 0}}}
    archive = zipfile.ZipFile(tmp_path / "a.zip", "w")
    with pytest.raises(BackupError, match="outside the upload directories"):
        actions._unpack_files(archive, manifest, into)
    assert list(into.iterdir()) == []
    assert not (tmp_path / "escape.txt").exists()


def test_uploaded_files_are_listed_under_their_roots_name_without_symlinks(roots, tmp_path):
    (roots["files"] / "evidence").mkdir(parents=True)
    (roots["files"] / "evidence" / "a.pdf").write_bytes(b"a")
    roots["imports"].mkdir(parents=True)
    (roots["imports"] / "run.sealed").write_bytes(b"b")
    outside = tmp_path / "outside.txt"
    outside.write_text("not an upload")
    (roots["files"] / "link.txt").symlink_to(outside)
    listed = [relative for relative, _path in actions._uploaded_files()]
    assert listed == ["files/evidence/a.pdf", "imports/run.sealed"]


def test_missing_upload_directories_hold_no_files(roots):
    assert actions._uploaded_files() == []


@pytest.mark.django_db
def test_a_backup_inside_a_transaction_is_refused_and_writes_no_file(tmp_path):
    out = tmp_path / "b.jwbackup"
    with pytest.raises(BackupError, match="must start outside a transaction"):
        actions.create_backup(out)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.django_db
def test_a_restore_onto_an_instance_with_rows_is_refused_naming_a_table(roots):
    make_org("Existing Centre")
    with pytest.raises(BackupError, match=r"this instance is not empty \(table \w+ has rows\)"):
        actions._require_empty()


@pytest.mark.django_db
def test_a_restore_onto_an_instance_with_files_is_refused_naming_one(roots):
    roots["imports"].mkdir(parents=True)
    (roots["imports"] / "left.sealed").write_bytes(b"x")
    with pytest.raises(BackupError, match="already has uploaded files") as refused:
        actions._require_empty()
    assert str(roots["imports"] / "left.sealed") in str(refused.value)
    assert "nothing was restored" in str(refused.value)
