"""Originals sealed at rest under the organisation's data key (``EVIDENCE_ENCRYPT``), on both
backends: ciphertext only on disk or in the bucket, hashes of the plaintext, transparent
reading, tampering detected, one sealed object per organisation."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import pytest

from justicework.evidence.actions import extract_provenance
from justicework.evidence.actions import packages as package_actions
from justicework.evidence.models import Original
from justicework.evidence.storage import store
from justicework.evidence.storage.originals import OriginalDamaged, open_original

from ..conftest import sha256, upload_file
from ..packages.conftest import standalone_verify
from ..provenance import files
from .conftest import s3_client, use_bucket

pytestmark = pytest.mark.django_db

SECRET = b"witness statement: the convoy passed at dawn. " * 3000


@pytest.fixture(params=["local", "s3"])
def backend(request, settings):
    settings.EVIDENCE_ENCRYPT = True
    if request.param == "s3":
        use_bucket(settings, request.getfixturevalue("s3_endpoint"))
    return request.param


def stored_bytes(original: Original) -> bytes:
    with store().open(original.storage_key) as raw:
        return raw.read()


def replace_stored(settings, backend: str, original: Original, data: bytes) -> None:
    """Change the stored object behind the application's back (an attacker with the disk or
    the bucket)."""
    if backend == "local":
        path = store().path_for(original.storage_key)
        path.chmod(0o640)
        path.write_bytes(data)
        return
    client = s3_client(settings.EVIDENCE_S3_ENDPOINT_URL)
    # a locked object cannot be changed; a new bucket holding the altered copy stands for it
    use_bucket(settings, settings.EVIDENCE_S3_ENDPOINT_URL, lock=False)
    client.put_object(Bucket=settings.EVIDENCE_S3_BUCKET, Key=original.storage_key, Body=data)


def test_the_stored_original_holds_no_plaintext_and_hashes_are_of_the_plaintext(
    backend, documenter, acme
):
    item = upload_file(documenter, acme, SECRET, filename="statement.txt")
    original = item.original
    assert original.encrypted and original.vault_id == acme.pk
    assert original.storage_key.startswith(f"sealed/{acme.pk}/")
    assert (original.sha256, original.size) == (sha256(SECRET), len(SECRET))
    assert original.sha512 == hashlib.sha512(SECRET).hexdigest()
    sealed = stored_bytes(original)
    assert b"convoy" not in sealed and sealed.startswith(b"JWVAULT")
    assert len(sealed) > len(SECRET)
    if backend == "local":
        leftovers = [p for p in Path(store().root).rglob("*") if p.is_file()]
        assert leftovers == [store().path_for(original.storage_key)]  # no part, no .sealed


def test_reading_decrypts_transparently_with_seeks(backend, documenter, acme):
    data = os.urandom(300_000)
    item = upload_file(documenter, acme, data, filename="clip.bin")
    with open_original(item.original) as stream:
        assert hashlib.sha256(stream.read()).hexdigest() == sha256(data)
        stream.seek(200_001)
        assert stream.read(5) == data[200_001:200_006]
        assert stream.seek(0, io.SEEK_END) == len(data)


def test_the_same_bytes_twice_in_one_organisation_are_stored_once(backend, documenter, admin, acme):
    first = upload_file(documenter, acme, SECRET, filename="a.txt")
    second = upload_file(admin, acme, SECRET, filename="b.txt")
    assert first.original_id == second.original_id
    assert Original.objects.count() == 1


def test_two_organisations_never_share_a_sealed_object(backend, documenter, outsider, acme, beacon):
    ours = upload_file(documenter, acme, SECRET, filename="a.txt").original
    theirs = upload_file(outsider, beacon, SECRET, filename="b.txt").original
    assert ours.pk != theirs.pk and ours.sha256 == theirs.sha256
    assert (ours.vault_id, theirs.vault_id) == (acme.pk, beacon.pk)
    assert ours.storage_key != theirs.storage_key
    for original in (ours, theirs):
        with open_original(original) as stream:
            assert stream.read() == SECRET


def test_a_header_from_another_organisation_is_refused(
    settings, backend, documenter, outsider, acme, beacon
):
    ours = upload_file(documenter, acme, SECRET, filename="a.txt").original
    theirs = upload_file(outsider, beacon, b"beacon's own file", filename="b.txt").original
    replace_stored(settings, backend, ours, stored_bytes(theirs))
    with pytest.raises(OriginalDamaged, match=ours.sha256):
        open_original(ours).read()


@pytest.mark.parametrize("where", ["chunk", "header", "cut"])
def test_tampered_ciphertext_is_an_error_naming_the_original(
    settings, backend, documenter, acme, where
):
    original = upload_file(documenter, acme, SECRET, filename="a.txt").original
    sealed = bytearray(stored_bytes(original))
    if where == "chunk":
        sealed[len(sealed) // 2] ^= 1
    elif where == "header":
        sealed[20] ^= 1
    else:
        del sealed[-(64 * 1024 + 16) :]
    replace_stored(settings, backend, original, bytes(sealed))
    expected = f"encrypted original {original.sha256} failed"
    with pytest.raises(OriginalDamaged, match=expected), open_original(original) as stream:
        stream.read()


def test_a_package_of_an_encrypted_original_verifies_with_the_standalone_verifier(
    backend, documenter, acme, tmp_path
):
    items = [
        upload_file(documenter, acme, SECRET, filename="statement.txt"),
        upload_file(documenter, acme, b"\x89PNG second" * 50, filename="two.png"),
    ]
    out = tmp_path / "package.zip"
    package_actions.package_items(documenter, acme, items, out)
    status, output = standalone_verify(out)
    assert status == 0 and "VALID: 2 file(s)" in output, output


def test_a_package_of_a_tampered_original_fails_naming_it(
    settings, backend, documenter, acme, tmp_path
):
    item = upload_file(documenter, acme, SECRET, filename="a.txt")
    original = item.original
    sealed = bytearray(stored_bytes(original))
    sealed[-5] ^= 1
    replace_stored(settings, backend, original, bytes(sealed))
    out = tmp_path / "package.zip"
    with pytest.raises(OriginalDamaged, match=original.sha256):
        package_actions.package_items(documenter, acme, [item], out)
    assert not out.exists()


def test_provenance_is_read_from_an_encrypted_original(backend, documenter, acme):
    picture = files.jpeg_with_exif(
        files.picture(5), make="Fujifilm", model="X-Sealed", taken="2024:03:04 05:06:07"
    )
    original = upload_file(documenter, acme, picture, filename="p.jpg").original
    assert b"Fujifilm" not in stored_bytes(original)
    row = extract_provenance(original)
    assert row.metadata["camera_model"] == "X-Sealed" and row.phash is not None
    assert "reader_failed" not in [finding["code"] for finding in row.findings]
