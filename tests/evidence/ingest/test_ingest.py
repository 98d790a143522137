"""``justicework evidence ingest``: a folder or a ZIP becomes items through the intake path;
re-runs skip what is in; a dry run changes nothing; every refusal names the entry and leaves
nothing behind."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from justicework.audit.models import AuditEntry
from justicework.evidence.actions import ingests
from justicework.evidence.models import CustodyEntry, Item, Original
from justicework.evidence.storage import store

pytestmark = pytest.mark.django_db

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
       b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81"
       b"\x84\x00\x00\x00\x00IEND\xaeB`\x82")  # fmt: skip
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def ingest(cast: Any, path: Path, *extra: str) -> str:
    out = io.StringIO()
    call_command("evidence", "ingest", str(path), "--organisation", cast.acme.slug,
                 "--as", cast.documenter.email, *extra, stdout=out)  # fmt: skip
    return out.getvalue()


def refused(cast: Any, path: Path, *extra: str) -> str:
    with pytest.raises(CommandError) as caught:
        ingest(cast, path, *extra)
    assert not Item.objects.exists() and not Original.objects.exists()
    assert not (store().root / "originals").exists()
    return str(caught.value)


def folder(tmp_path: Path) -> Path:
    root = tmp_path / "drop"
    (root / "photos").mkdir(parents=True)
    (root / "photos" / "checkpoint.png").write_bytes(PNG)
    (root / "report.pdf").write_bytes(PDF)
    (root / "notes.txt").write_text("Witness statement, 3 March.\n")
    return root


def make_zip(path: Path, members: dict[str, bytes], **kwargs: Any) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, **kwargs) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_a_folder_becomes_items_with_a_collection_record(cast: Any, tmp_path: Path) -> None:
    output = ingest(cast, folder(tmp_path))
    assert "3 file(s) ingested, 0 already present, 0 skipped." in output
    item = Item.objects.get(submitted_name="photos/checkpoint.png")
    assert item.display_name == "checkpoint.png" and item.original.media_type == "image/png"
    assert item.original.sha256 == hashlib.sha256(PNG).hexdigest()
    assert item.original.sha512 == hashlib.sha512(PNG).hexdigest()
    assert store().path_for(item.original.sha256).read_bytes() == PNG
    assert (item.collection_method, item.collector) == ("bulk ingest", cast.documenter.email)
    assert item.extension_matches is True and item.organisation == cast.acme
    events = list(item.custody.order_by("seq").values_list("event", flat=True))
    assert events == ["collected", "received"]
    received = item.custody.get(event="received").detail
    assert received["path"] == "photos/checkpoint.png" and received["size"] == len(PNG)
    assert AuditEntry.objects.filter(action="evidence.ingest.finished").count() == 1
    assert not list(store().incoming_dir().iterdir())


def test_a_re_run_skips_what_is_in_and_finishes_the_rest(cast: Any, tmp_path: Path) -> None:
    root = folder(tmp_path)
    ingest(cast, root)
    (root / "late.txt").write_text("Added after the first run.\n")
    output = ingest(cast, root)
    assert "1 file(s) ingested, 3 already present" in output
    assert Item.objects.count() == 4 and CustodyEntry.objects.filter(event="received").count() == 4


def test_the_same_bytes_under_another_path_are_another_item(cast: Any, tmp_path: Path) -> None:
    root = folder(tmp_path)
    (root / "copy.pdf").write_bytes(PDF)
    ingest(cast, root)
    assert Item.objects.filter(original__sha256=hashlib.sha256(PDF).hexdigest()).count() == 2
    assert Original.objects.count() == 3


def test_a_dry_run_lists_and_changes_nothing(cast: Any, tmp_path: Path) -> None:
    root = folder(tmp_path)
    (root / "photo.pdf").write_bytes(PNG)  # a forged extension
    output = ingest(cast, root, "--dry-run")
    assert output.count("new ") == 4 and "(dry run: nothing changed)" in output
    assert "WARNING: photo.pdf: its name says .pdf but its content is image/png" in output
    assert (
        not Item.objects.exists()
        and not AuditEntry.objects.filter(action__startswith="evidence.ingest").exists()
    )
    ingest(cast, root)
    again = ingest(cast, root, "--dry-run")
    assert again.count("present ") == 4 and "0 file(s) would be ingested" in again


def test_a_forged_extension_is_ingested_with_a_warning(cast: Any, tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "drop.zip", {"evidence/photo.pdf": PNG})
    output = ingest(cast, archive)
    assert "WARNING: evidence/photo.pdf: its name says .pdf but its content is image/png" in output
    item = Item.objects.get()
    assert item.original.media_type == "image/png" and item.extension_matches is False


def test_a_zip_becomes_items_named_by_their_path_inside(cast: Any, tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "drop.zip", {"a/report.pdf": PDF, "b/": b"", "b/x.png": PNG})
    output = ingest(cast, archive)
    assert "2 file(s) ingested, 0 already present, 1 skipped." in output
    assert set(Item.objects.values_list("submitted_name", flat=True)) == {"a/report.pdf", "b/x.png"}


def test_a_zip_bomb_is_refused_while_it_is_read(cast: Any, tmp_path: Path, settings: Any) -> None:
    archive = make_zip(tmp_path / "bomb.zip", {"ok.pdf": PDF, "zeros.bin": bytes(5 << 20)})
    message = refused(cast, archive)
    assert "zeros.bin: it inflates to more than 200 times its compressed size" in message


def test_a_zip_lying_about_its_sizes_is_refused(cast: Any, tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "liar.zip", {"small.txt": b"A" * 3_000_000})
    data = bytearray(archive.read_bytes())
    # declare 10 bytes in both headers: the CRC check on the bytes read then fails
    for header, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(header)
        data[at + size_at : at + size_at + 4] = (10).to_bytes(4, "little")
    archive.write_bytes(bytes(data))
    assert "small.txt: the entry is damaged" in refused(cast, archive)


def test_the_total_of_a_run_is_limited(cast: Any, tmp_path: Path, settings: Any) -> None:
    settings.EVIDENCE_INGEST_MAX_TOTAL_BYTES = 1000
    archive = make_zip(tmp_path / "big.zip", {"a.txt": os.urandom(800), "b.txt": os.urandom(800)})
    assert "b.txt: the files hold more than 1,000 bytes" in refused(cast, archive)


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("../escape.txt", "climbs out of the archive"),
        ("docs/../../escape.txt", "climbs out of the archive"),
        ("/etc/cron.d/evil", "is an absolute path"),
        ("C:/Windows/evil.txt", "is an absolute path"),
        ("docs\\..\\evil.txt", "a backslash"),
    ],
)
def test_path_traversal_entries_are_refused(cast: Any, tmp_path: Path, name: str, why: str) -> None:
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("fine.pdf", PDF)
        out.writestr(zipfile.ZipInfo(name), b"payload")
    message = refused(cast, archive)
    assert name in message and why in message


def test_a_symlink_in_a_zip_is_refused(cast: Any, tmp_path: Path) -> None:
    archive = tmp_path / "link.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("fine.pdf", PDF)
        link = zipfile.ZipInfo("passwd")
        link.create_system = 3
        link.external_attr = 0o120777 << 16
        out.writestr(link, "/etc/passwd")
    assert "passwd: refused, it is a symbolic link" in refused(cast, archive)


def test_a_symlink_out_of_the_folder_is_refused(cast: Any, tmp_path: Path) -> None:
    root = folder(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the vault")
    (root / "photos" / "innocent.txt").symlink_to(secret)
    message = refused(cast, root)
    assert "photos/innocent.txt: refused, it is a symbolic link to" in message


def test_a_symlink_inside_the_folder_is_skipped_not_followed(cast: Any, tmp_path: Path) -> None:
    root = folder(tmp_path)
    (root / "again.pdf").symlink_to(root / "report.pdf")
    (root / "photos-link").symlink_to(root / "photos")
    output = ingest(cast, root)
    assert "3 file(s) ingested, 0 already present, 2 skipped." in output
    assert "skipped  again.pdf: a symbolic link inside the folder" in output


def test_a_run_over_the_quota_is_refused_before_anything_is_written(
    cast: Any, tmp_path: Path, settings: Any
) -> None:
    settings.EVIDENCE_QUOTA_BYTES = len(PNG) + len(PDF)
    message = refused(cast, folder(tmp_path))
    assert "would pass your organisation's storage quota" in message


def test_a_file_over_the_upload_limit_is_refused(cast: Any, tmp_path: Path, settings: Any) -> None:
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 100
    root = folder(tmp_path)
    (root / "large.txt").write_text("x" * 101)
    assert "large.txt: 101 bytes, more than the 100 allowed for one file" in refused(cast, root)


def test_neither_a_folder_nor_a_zip_is_refused(cast: Any, tmp_path: Path) -> None:
    plain = tmp_path / "file.txt"
    plain.write_text("hello")
    assert "neither a folder nor a ZIP" in refused(cast, plain)


def test_those_who_may_not_upload_cannot_ingest(cast: Any, tmp_path: Path) -> None:
    root = folder(tmp_path)
    for who, slug in ((cast.viewer, cast.acme.slug), (cast.outsider, cast.acme.slug)):
        with pytest.raises(CommandError, match="Not allowed"):
            call_command("evidence", "ingest", str(root), "--organisation", slug,
                         "--as", who.email, stdout=io.StringIO())  # fmt: skip
    assert not Item.objects.exists()


def test_a_stale_copy_of_a_killed_run_is_swept(cast: Any, tmp_path: Path) -> None:
    leftover = store().incoming_dir() / "ingest-999999999-abc.part"
    leftover.write_bytes(b"half")
    assert ingests.sweep_incoming() == 1 and not leftover.exists()
