"""A backup's header is checked before anything is read: wrong magic, oversized or unreadable
header, another format, another master key and a wrapped key that does not unwrap are each
refused with what is wrong and what to do; an archive written here opens here."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from justicework.backup import archive
from justicework.backup.archive import FORMAT, MAGIC, BackupError
from justicework.encryption.keyring import master_key_id


def _file(tmp_path: Path, header: bytes) -> Path:
    path = tmp_path / "b.jwbackup"
    path.write_bytes(MAGIC + len(header).to_bytes(4, "big") + header + b"\x00" * 64)
    return path


def _header(**fields: Any) -> bytes:
    return json.dumps(
        {"format": FORMAT, "master_key_id": master_key_id(settings.MASTER_KEY), **fields}
    ).encode()


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match=r"cannot read .*nothing-here"):
        archive.open_reader(tmp_path / "nothing-here")


@pytest.mark.parametrize("content", [b"", b"JWBACK", b"PK\x03\x04" + b"\x00" * 40])
def test_a_file_without_the_magic_is_not_a_backup(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "b.jwbackup"
    path.write_bytes(content)
    with pytest.raises(BackupError, match="not a JusticeWork backup"):
        archive.open_reader(path)


def test_an_oversized_header_length_is_damage(tmp_path: Path) -> None:
    padded = _header(wrapped_key="")  # valid JSON however long: the length alone refuses it
    path = _file(tmp_path, padded + b" " * archive.MAX_HEADER)
    with pytest.raises(BackupError, match="damaged or was altered"):
        archive.open_reader(path)


def test_a_header_that_is_not_json_is_damage(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="damaged or was altered"):
        archive.open_reader(_file(tmp_path, b"{not json"))


@pytest.mark.parametrize("header", [b"[]", b'{"format": "justicework-backup/0"}'])
def test_another_format_is_named(tmp_path: Path, header: bytes) -> None:
    with pytest.raises(BackupError, match=f"not in the {FORMAT} format"):
        archive.open_reader(_file(tmp_path, header))


def test_another_master_key_says_which_and_what_to_copy(tmp_path: Path) -> None:
    header = json.dumps({"format": FORMAT, "master_key_id": "feedface"}).encode()
    with pytest.raises(BackupError) as caught:
        archive.open_reader(_file(tmp_path, header))
    message = str(caught.value)
    assert "encrypted under master key feedface" in message
    assert f"here is {master_key_id(settings.MASTER_KEY)}" in message
    assert "master.key, audit.key" in message


@pytest.mark.parametrize(
    "fields",
    [{}, {"wrapped_key": "***"}, {"wrapped_key": base64.b64encode(b"x" * 60).decode()}],
)
def test_a_wrapped_key_that_does_not_unwrap_is_refused(
    tmp_path: Path, fields: dict[str, str]
) -> None:
    with pytest.raises(BackupError, match="does not unwrap with JUSTICEWORK_MASTER_KEY"):
        archive.open_reader(_file(tmp_path, _header(**fields)))


def test_an_archive_written_here_opens_here_with_its_members(tmp_path: Path) -> None:
    path = tmp_path / "b.jwbackup"
    with path.open("wb") as handle:
        zipped, chunks = archive.open_writer(handle)
        zipped.writestr("tables/one.jsonl", b'{"a": 1}\n')
        zipped.close()
        chunks.finish()
    with archive.open_reader(path) as opened:
        assert opened.read("tables/one.jsonl") == b'{"a": 1}\n'
