"""``dataio.storage``: an upload is sealed while it streams in, hashed and measured as
plaintext; too large or empty is refused by name and leaves no file behind."""

from __future__ import annotations

import hashlib

import pytest

from justicework.dataio import sealed, storage
from justicework.dataio.readers import FileProblem

pytestmark = pytest.mark.django_db


def stored() -> list[str]:
    return sorted(p.name for p in storage.upload_dir().iterdir())


@pytest.fixture
def imports(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return storage.upload_dir()


def test_an_upload_is_sealed_hashed_and_measured_as_its_content(acme, imports):
    chunks = [b"ID,Name\n", b"r1,Ann\n", b"r2,Bo\n"]
    path, digest, size = storage.store_upload(chunks, "csv", acme.pk)
    content = b"".join(chunks)
    assert path.parent == imports and path.suffix == ".csv"
    assert size == len(content) and digest == hashlib.sha256(content).hexdigest()
    assert sealed.is_sealed(path) and b"Ann" not in path.read_bytes()
    assert storage.file_sha256(path) == digest
    with sealed.open_upload(path) as handle:
        assert handle.read() == content


@pytest.mark.parametrize(("file_format", "suffix"), [("xlsx", ".xlsx"), ("kobo", ".json"),
                                                     ("other", ".bin")])  # fmt: skip
def test_the_stored_name_keeps_the_formats_extension(acme, imports, file_format, suffix):
    path, _digest, _size = storage.store_upload([b"x"], file_format, acme.pk)
    assert path.suffix == suffix


def test_a_file_over_the_limit_is_refused_and_removed(acme, imports, settings):
    settings.IMPORT_MAX_BYTES = 10
    with pytest.raises(FileProblem, match="larger than the limit of 10 bytes"):
        storage.store_upload([b"12345", b"67890", b"1"], "csv", acme.pk)
    assert stored() == []


def test_kobo_json_has_its_own_smaller_limit(acme, imports, settings):
    settings.IMPORT_MAX_BYTES = 1000
    settings.IMPORT_MAX_JSON_BYTES = 4
    with pytest.raises(FileProblem, match="limit of 4 bytes"):
        storage.store_upload([b"[{}, {}]"], "kobo", acme.pk)
    path, _digest, size = storage.store_upload([b"[{}, {}]"], "csv", acme.pk)
    assert size == 8 and stored() == [path.name]


def test_an_empty_file_is_refused_and_removed(acme, imports):
    with pytest.raises(FileProblem, match="The file is empty"):
        storage.store_upload([b"", b""], "csv", acme.pk)
    assert stored() == []


def test_a_failure_while_reading_the_upload_leaves_no_file(acme, imports):
    def broken():  # type: ignore[no-untyped-def]
        yield b"ID,Name\n"
        raise ConnectionResetError("client went away")

    with pytest.raises(ConnectionResetError):
        storage.store_upload(broken(), "csv", acme.pk)
    assert stored() == []
