"""``check_derivative`` (the check ``evidence fsck`` plugs in): a derivative whose file, hash,
size or original is wrong is named; a sound one is not."""

from __future__ import annotations

import os

import pytest

from justicework.evidence.actions import make_derivatives
from justicework.evidence.derivatives.checks import check_derivative, derivative_problems
from justicework.evidence.models import Derivative
from justicework.evidence.storage import store

from ..conftest import upload_file
from ..provenance import files

pytestmark = pytest.mark.django_db


@pytest.fixture
def thumbnail(documenter, acme):
    item = upload_file(documenter, acme, files.encode(files.picture(60), "PNG"), filename="a.png")
    make_derivatives(item.original)
    return Derivative.objects.get(original=item.original, kind="thumbnail")


def _writable(path):
    os.chmod(path, 0o640)
    return path


def test_sound_derivatives_have_no_problem(thumbnail):
    assert check_derivative(thumbnail) == [] and list(derivative_problems()) == []


def test_a_changed_derivative_file_is_named(thumbnail):
    path = _writable(store().derivative_path(thumbnail.sha256))
    data = bytearray(path.read_bytes())
    data[100] ^= 0xFF
    path.write_bytes(bytes(data))
    (problem,) = check_derivative(thumbnail)
    assert f"derivative {thumbnail.pk} (thumbnail): SHA-256 of the file is" in problem
    assert [d.pk for d, _ in derivative_problems()] == [thumbnail.pk]


def test_a_missing_derivative_file_is_named(thumbnail):
    _writable(store().derivative_path(thumbnail.sha256)).unlink()
    assert check_derivative(thumbnail) == [
        f"derivative {thumbnail.pk} (thumbnail): file {thumbnail.storage_key} is missing"
    ]


def test_a_row_whose_size_differs_is_named(thumbnail):
    Derivative.objects.filter(pk=thumbnail.pk).update(size=thumbnail.size + 1)
    thumbnail.refresh_from_db()
    assert check_derivative(thumbnail) == [
        f"derivative {thumbnail.pk} (thumbnail): the file has {thumbnail.size - 1} bytes, "
        f"the row says {thumbnail.size}"
    ]


def test_a_missing_original_file_is_named(thumbnail):
    _writable(store().path_for(thumbnail.original.sha256)).unlink()
    assert check_derivative(thumbnail) == [
        f"derivative {thumbnail.pk} (thumbnail): its original's file "
        f"{thumbnail.original.sha256} is missing"
    ]
