"""Derivatives on every backend (local files, S3) with plain and sealed originals: made from
the original's plaintext, stored under the right key (sealed under the organisation's key when
the original is), served as made, checked by fsck's derivative check, and a tampered one
named; making again removes the file it replaced."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.urls import reverse
from PIL import Image

from justicework.evidence.actions import make_derivatives
from justicework.evidence.derivatives.checks import check_derivative
from justicework.evidence.models import Derivative
from justicework.evidence.storage import derived, store

from ..conftest import upload_file
from ..provenance import files
from ..stored import assert_stored_as_backend_says, overwrite, present, raw_derivative, sealed

pytestmark = pytest.mark.django_db


@pytest.fixture
def picture(backend, documenter, acme):
    data = files.jpeg_with_exif(files.picture(71), make="Canon", gps=(50.45, 30.52))
    item = upload_file(documenter, acme, data, filename="scene.jpg")
    outcome = make_derivatives(item.original)
    assert not outcome.problem and len(outcome.made) == 3
    return item


def _rows(item):
    return {row.kind: row for row in Derivative.objects.filter(original=item.original)}


def test_derivatives_are_stored_for_the_backend_and_sealed_with_their_original(
    backend, picture, acme
):
    assert picture.original.encrypted == sealed(backend)
    for row in _rows(picture).values():
        prefix = f"sealed/{acme.pk}/derivatives/" if sealed(backend) else "derivatives/"
        assert row.storage_key == f"{prefix}{row.sha256[:2]}/{row.sha256[2:4]}/{row.sha256}"
        with derived.open_derivative(row) as stream:
            plaintext = stream.read()
        assert hashlib.sha256(plaintext).hexdigest() == row.sha256 and len(plaintext) == row.size
        assert_stored_as_backend_says(raw_derivative(row), plaintext, sealed=sealed(backend))
        assert check_derivative(row) == []
    with derived.open_derivative(_rows(picture)["thumbnail"]) as stream, Image.open(stream) as im:
        assert max(im.size) <= 256
    if backend.startswith("s3"):  # nothing of the vault's but the empty staging dirs is local
        assert not list(store().root.rglob("derivatives"))


@pytest.mark.parametrize("kind", ["thumbnail", "preview"])
def test_the_served_picture_is_the_one_made(backend, analyst, login, picture, kind):
    row = _rows(picture)[kind]
    response = login(analyst).get(reverse("evidence:derivative_file", args=[picture.pk, kind]))
    body = b"".join(response.streaming_content)
    assert response.status_code == 200 and hashlib.sha256(body).hexdigest() == row.sha256
    with Image.open(io.BytesIO(body)) as image:
        assert image.format == "JPEG"


def test_the_stripped_copy_downloaded_is_the_one_made(backend, analyst, login, picture):
    row = _rows(picture)["stripped"]
    response = login(analyst).post(reverse("evidence:stripped_copy", args=[picture.pk]))
    body = b"".join(response.streaming_content)
    assert response.status_code == 200 and hashlib.sha256(body).hexdigest() == row.sha256
    assert b"Canon" not in body


def test_a_tampered_derivative_is_named_and_not_served(backend, analyst, login, picture):
    row = _rows(picture)["thumbnail"]
    data = bytearray(raw_derivative(row))
    data[-40] ^= 0xFF
    overwrite(row.storage_key, bytes(data))
    (problem,) = check_derivative(row)
    if sealed(backend):
        assert problem == (
            f"derivative {row.pk} (thumbnail): the encrypted file {row.storage_key} failed "
            "authentication: its stored bytes were changed"
        )
        url = reverse("evidence:derivative_file", args=[picture.pk, "thumbnail"])
        assert login(analyst).get(url).status_code == 404
    else:
        assert f"derivative {row.pk} (thumbnail): SHA-256 of the file is " in problem


def test_making_again_removes_the_file_it_replaced(
    backend, picture, django_capture_on_commit_callbacks
):
    old = _rows(picture)["thumbnail"]
    Derivative.objects.filter(pk=old.pk).update(
        sha256="0" * 64, storage_key=store().derivative_key("0" * 64, picture.original.vault_id)
    )  # a row made by another tool version (its file stands for the old one)
    store().put_derivative(store().derivative_key("0" * 64, picture.original.vault_id), b"old")
    with django_capture_on_commit_callbacks(execute=True):
        make_derivatives(picture.original, again=True)
    assert not present(store().derivative_key("0" * 64, picture.original.vault_id))
    assert present(_rows(picture)["thumbnail"].storage_key)


def test_derivatives_come_from_the_plaintext_of_a_sealed_original(settings, documenter, acme):
    settings.EVIDENCE_ENCRYPT = True
    data = files.encode(files.picture(72), "PNG")
    item = upload_file(documenter, acme, data, filename="plain.png")
    assert item.original.encrypted
    make_derivatives(item.original)
    stripped = _rows(item)["stripped"]
    with (
        derived.open_derivative(stripped) as stream,
        Image.open(stream) as copy,
        Image.open(io.BytesIO(data)) as source,
    ):
        assert copy.tobytes() == source.convert(copy.mode).tobytes()  # the same pixels
