"""Two-person removal on every backend (local files, S3) with plain and sealed originals: the
approval removes the original's derivative rows and files, its provenance and key-frame rows,
then its file; a derivative file another original still uses stays; a removal killed after its
rows went leaves only orphans that fsck names and repairs, never a row without its file."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from justicework.audit.models import AuditEntry
from justicework.evidence.actions import extract_provenance, make_derivatives, removals
from justicework.evidence.derivatives.checks import derivative_problems
from justicework.evidence.models import Derivative, FrameHash, Provenance

from ..conftest import upload_file
from ..fsck.test_fsck import run_fsck
from ..provenance import files
from ..storage.conftest import use_bucket
from ..stored import present
from .helpers import second_admin

REASON = {"reason": "Court order", "legal_basis": "Order 12/2026 of the district court"}


@pytest.fixture
def unlocked(backend, settings, s3_endpoint):
    """On S3, a bucket without object lock (a compliance retention refuses any removal, which
    ``storage/test_s3.py`` tests)."""
    if backend.startswith("s3"):
        use_bucket(settings, s3_endpoint, lock=False)
    return backend


def _png(seed: int, note: str) -> bytes:
    """The same picture for the same seed, with a text chunk that makes the file differ."""
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", note)
    out = io.BytesIO()
    files.picture(seed).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def _full_item(documenter, acme, data, name):
    item = upload_file(documenter, acme, data, filename=name)
    assert len(make_derivatives(item.original).made) == 3
    extract_provenance(item.original)
    FrameHash.objects.create(original=item.original, seq=0, at_s=0.0, phash=1, phash_b0=1,
                             phash_b1=0, phash_b2=0, phash_b3=0)  # fmt: skip
    return item


def _remove(admin, acme, item, capture):
    request = removals.request_removal(admin, item, **REASON)
    with capture(execute=True):
        removals.approve_removal(second_admin(acme), request)


def test_removal_takes_derivatives_provenance_and_the_original(
    unlocked, admin, documenter, acme, django_capture_on_commit_callbacks
):
    item = _full_item(documenter, acme, _png(80, "first"), "first.png")
    original = item.original
    keys = list(Derivative.objects.filter(original=original).values_list("storage_key", flat=True))
    assert len(keys) == 3 and all(present(key) for key in keys)
    assert present(original.storage_key)
    _remove(admin, acme, item, django_capture_on_commit_callbacks)
    assert not present(original.storage_key)
    assert not any(present(key) for key in keys)
    assert not Derivative.objects.filter(original=original).exists()
    assert not Provenance.objects.filter(original=original).exists()
    assert not FrameHash.objects.filter(original=original).exists()
    audit = AuditEntry.objects.get(action="evidence.derivatives.removed")
    assert audit.diff["derivatives"] == 3 and audit.diff["provenance"] == 1
    assert audit.diff["frame_hashes"] == 1 and sorted(audit.diff["keys"]) == sorted(keys)
    code, out = run_fsck()
    assert code == 0, out


def test_a_derivative_file_another_original_uses_stays(
    unlocked, admin, documenter, acme, django_capture_on_commit_callbacks
):
    first = _full_item(documenter, acme, _png(81, "first"), "first.png")
    second = _full_item(documenter, acme, _png(81, "second copy"), "second.png")
    assert first.original_id != second.original_id
    shared = set(
        Derivative.objects.filter(original=first.original).values_list("storage_key", flat=True)
    )
    kept = set(
        Derivative.objects.filter(original=second.original).values_list("storage_key", flat=True)
    )
    assert shared == kept  # the same pixels: the same derivatives, stored once
    _remove(admin, acme, first, django_capture_on_commit_callbacks)
    assert all(present(key) for key in kept) and not present(first.original.storage_key)
    assert list(derivative_problems()) == []
    assert run_fsck()[0] == 0


def test_a_removal_killed_after_its_rows_went_leaves_orphans_only(
    unlocked, admin, documenter, acme, monkeypatch
):
    item = _full_item(documenter, acme, _png(82, "killed"), "killed.png")
    keys = list(
        Derivative.objects.filter(original=item.original).values_list("storage_key", flat=True)
    )
    request = removals.request_removal(admin, item, **REASON)
    removals.approve_removal(second_admin(acme), request)  # on-commit never runs: the crash
    rows_gone = removals._drop_derived_rows(item.original_id)  # ... the kill comes after this
    assert rows_gone == sorted(keys) and all(present(key) for key in keys)
    assert list(derivative_problems()) == []  # no row points at a missing file
    code, out = run_fsck()
    assert code == 1
    for key in keys:
        assert f"PROBLEM orphans: file {key}: stored, but no derivative row points at it" in out
    assert f"PROBLEM removals: original {item.original_id} " in out
    code, out = run_fsck("--repair")
    assert code == 0, out
    assert not present(item.original.storage_key) and not any(present(key) for key in keys)


def test_the_pictures_of_a_removed_item_are_gone_from_the_web(
    unlocked, admin, documenter, analyst, acme, login, django_capture_on_commit_callbacks
):
    item = _full_item(documenter, acme, _png(83, "web"), "web.png")
    client = login(analyst)
    url = f"/evidence/items/{item.pk}/derivatives/thumbnail"
    response = client.get(url)
    assert response.status_code == 200
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as thumb:
        assert max(thumb.size) <= 256
    _remove(admin, acme, item, django_capture_on_commit_callbacks)
    assert client.get(url).status_code == 404
