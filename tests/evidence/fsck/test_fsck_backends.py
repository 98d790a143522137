"""``evidence fsck`` on every backend (local files, S3) with plain and sealed originals: a clean
vault passes with the derivative check registered; a tampered original is named (changed, or
failing authentication when sealed); orphan originals under ``originals/`` and
``sealed/<organisation>/`` are named and left; orphan derivatives named and, with --repair,
removed; a missing derivative named."""

from __future__ import annotations

import hashlib

import pytest

from justicework.evidence import fsck
from justicework.evidence.actions import make_derivatives
from justicework.evidence.derivatives.checks import fsck_check
from justicework.evidence.models import Derivative
from justicework.evidence.storage import store
from justicework.evidence.storage.originals import place

from ..conftest import upload_file
from ..provenance import files
from ..stored import assert_stored_as_backend_says, overwrite, present, raw_original, sealed
from .test_fsck import run_fsck

pytestmark = pytest.mark.django_db

SECRET = b"statement of the third witness, who saw the convoy at dawn. " * 40


@pytest.fixture
def vault_items(backend, documenter, acme):
    text = upload_file(documenter, acme, SECRET, filename="statement.txt", collector="Ana")
    picture = upload_file(documenter, acme, files.encode(files.picture(73), "PNG"),
                          filename="scene.png", collector="Ana")  # fmt: skip
    assert len(make_derivatives(picture.original).made) == 3
    return text, picture


def test_the_derivative_check_is_registered():
    assert ("derivatives", fsck_check) in fsck.CHECKS


def test_a_clean_vault_passes_on_every_backend(backend, vault_items):
    text, _picture = vault_items
    assert_stored_as_backend_says(raw_original(text.original), SECRET, sealed=sealed(backend),
                                  word=b"convoy")  # fmt: skip
    code, out = run_fsck()
    assert code == 0, out
    assert out.strip().splitlines() == [
        "OK: checked 2 originals, 2 stored files, 3 derivative files, 2 custody chains, "
        "3 derivatives"
    ]


def test_a_tampered_original_is_named(backend, vault_items):
    original = vault_items[0].original
    stored = bytearray(raw_original(original))
    stored[len(stored) // 2] ^= 0x01
    overwrite(original.storage_key, bytes(stored))
    code, out = run_fsck()
    assert code == 1, out
    subject = f"PROBLEM originals: original {original.pk} (sha256 {original.sha256}): "
    if sealed(backend):
        assert (f"{subject}the encrypted file {original.storage_key} failed authentication: its "
                "stored bytes were changed, cut or replaced") in out  # fmt: skip
    else:
        found = hashlib.sha256(bytes(stored)).hexdigest()
        assert (
            f"{subject}the stored file {original.storage_key} changed: SHA-256 {found}, "
            f"{len(SECRET)} bytes; the row says {original.sha256}, {len(SECRET)} bytes"
        ) in out
    assert "1 problem(s)" in out


def test_orphan_originals_are_named_and_left(backend, vault_items, acme, tmp_path):
    data = b"stored, then the process died before the commit"
    source = tmp_path / "part"
    source.write_bytes(data)
    placed = place(hashlib.sha256(data).hexdigest(), source, acme.pk)
    prefix = f"sealed/{acme.pk}/" if sealed(backend) else "originals/"
    assert placed.key.startswith(prefix)
    code, out = run_fsck("--repair")
    assert code == 1
    assert f"PROBLEM orphans: file {placed.key}: stored, but no original row points at it" in out
    assert "3 stored files" in out and present(placed.key)


def test_orphan_derivatives_are_named_and_repaired(backend, vault_items):
    row = Derivative.objects.get(original=vault_items[1].original, kind="preview")
    Derivative.objects.filter(pk=row.pk).delete()  # as a removal killed after its rows went
    code, out = run_fsck()
    assert code == 1
    line = f"orphans: file {row.storage_key}: stored, but no derivative row points at it"
    assert f"PROBLEM {line}" in out
    code, out = run_fsck("--repair")
    assert code == 0, out
    assert f"REPAIRED {line}; removed now" in out and not present(row.storage_key)
    assert run_fsck()[0] == 0


def test_a_missing_derivative_is_named(backend, vault_items):
    row = Derivative.objects.get(original=vault_items[1].original, kind="thumbnail")
    store().remove_derivative(row.storage_key)
    code, out = run_fsck()
    assert code == 1
    assert (f"PROBLEM derivatives: derivative {row.pk} (thumbnail): file {row.storage_key} is "
            "missing") in out  # fmt: skip
