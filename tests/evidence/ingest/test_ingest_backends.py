"""Bulk ingest on every backend (local files, S3) with plain and sealed originals: each file's
original is placed as an upload's is (in the bucket on S3, sealed under the organisation's key
when encryption is on), reads back as the file, and nothing is left in the staging folder."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from justicework.evidence.models import Item, Original
from justicework.evidence.storage import store
from justicework.evidence.storage.originals import open_original

from ..stored import assert_stored_as_backend_says, raw_original, sealed
from .test_ingest import PDF, PNG, folder, ingest

pytestmark = pytest.mark.django_db

NOTES = b"Witness statement, 3 March.\n"


def test_a_folder_is_ingested_on_every_backend(backend: str, cast: Any, tmp_path: Path) -> None:
    output = ingest(cast, folder(tmp_path))
    assert "3 file(s) ingested, 0 already present, 0 skipped." in output
    wanted = {"photos/checkpoint.png": PNG, "report.pdf": PDF, "notes.txt": NOTES}
    for name, data in wanted.items():
        original = Item.objects.get(submitted_name=name).original
        assert (original.sha256, original.size) == (hashlib.sha256(data).hexdigest(), len(data))
        assert original.backend == backend.removesuffix("-sealed")
        assert original.encrypted == sealed(backend)
        prefix = f"sealed/{cast.acme.pk}/" if sealed(backend) else "originals/"
        assert original.storage_key.startswith(prefix)
        with open_original(original) as stream:
            assert stream.read() == data
        assert_stored_as_backend_says(raw_original(original), data, sealed=sealed(backend),
                                      word=b"Witness" if data == NOTES else None)  # fmt: skip
    assert not list(store().incoming_dir().iterdir())
    if backend.startswith("s3"):  # the bucket holds the originals, the disk none
        assert not (store().root / "originals").exists()
        assert not (store().root / "sealed").exists()


def test_a_re_run_finds_what_is_in_on_every_backend(
    backend: str, cast: Any, tmp_path: Path
) -> None:
    root = folder(tmp_path)
    ingest(cast, root)
    (root / "copy.pdf").write_bytes(PDF)
    output = ingest(cast, root)
    assert "1 file(s) ingested, 3 already present" in output
    assert Original.objects.count() == 3  # the same bytes stored once
    assert Item.objects.filter(original__sha256=hashlib.sha256(PDF).hexdigest()).count() == 2


def test_copies_left_by_a_killed_sealing_ingest_are_swept(backend: str) -> None:
    from justicework.evidence.actions.ingests import sweep_incoming

    staging = store().incoming_dir()
    dead = 2**22 + 7  # no such process
    for suffix in (".part", ".sealed"):
        (staging / f"ingest-{dead}-0123{suffix}").write_bytes(b"left by a kill")
    assert sweep_incoming() == 2 and not list(staging.iterdir())
