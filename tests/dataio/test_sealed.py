"""Uploads are sealed at rest (``dataio.sealed``): the rows never lie on disk in clear, the
readers see the same content, and a changed, cut or reordered file is refused."""

from __future__ import annotations

import io
import itertools
import os
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from justicework.core.models import Organisation
from justicework.dataio import actions, readers, sealed
from justicework.dataio.models import ImportRun
from tests.violations.test_import import HEADER, MAPPING, row

pytestmark = pytest.mark.django_db


def _seal(path: Path, data: bytes, org: Organisation, pieces: int = 3) -> Path:
    with path.open("wb") as out:
        writer = sealed.SealingWriter(out, org.pk)
        step = max(1, len(data) // pieces)
        for start in range(0, len(data), step):
            writer.write(data[start : start + step])
        writer.finish()
    return path


def _upload(cast: Any, content: bytes, file_format: str = "csv") -> ImportRun:
    """``content`` uploaded by the documenter as a new run, with a saved mapping."""
    mapping = actions.save_mapping(
        cast.documenter, cast.acme, kind="violations", name=f"Survey {file_format}",
        file_format=file_format, spec=MAPPING,
    )  # fmt: skip
    return actions.start_run(
        cast.documenter, cast.acme, kind="violations", file_format=file_format,
        filename=f"v.{file_format}", chunks=[content], mapping=mapping,
    )  # fmt: skip


def _read(path: Path) -> bytes:
    with sealed.open_upload(path) as handle:
        return handle.read()


@pytest.mark.parametrize(
    "size", [0, 1, sealed.CHUNK - 1, sealed.CHUNK, sealed.CHUNK + 1, 3 * sealed.CHUNK + 5]
)
def test_the_content_reads_back_whole_and_at_any_offset(
    acme: Organisation, tmp_path: Path, size: int
) -> None:
    data = os.urandom(size)
    path = _seal(tmp_path / "f", data, acme)
    assert sealed.is_sealed(path) and _read(path) == data
    assert sealed.content_size(path) == size
    with sealed.open_upload(path) as handle:
        for offset in {0, size // 2, max(0, size - 3), sealed.CHUNK - 2}:
            handle.seek(offset)
            assert handle.read(7) == data[offset : offset + 7]
        if size >= 2:
            handle.seek(-2, io.SEEK_END)
            assert handle.read() == data[-2:]


# tmp_path and the organisation are safe to share between examples: each writes the file anew.
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=700), cuts=st.lists(st.integers(0, 700), max_size=6))
def test_any_content_written_in_any_pieces_reads_back(
    acme: Organisation, tmp_path: Path, data: bytes, cuts: list[int]
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sealed, "CHUNK", 64)  # many chunks from small examples
        path = tmp_path / "h"
        with path.open("wb") as out:
            writer = sealed.SealingWriter(out, acme.pk)
            bounds = sorted({0, len(data), *[c for c in cuts if c <= len(data)]})
            for start, end in itertools.pairwise(bounds):
                writer.write(data[start:end])
            writer.finish()
        assert _read(path) == data


def _damaged(path: Path) -> str:
    with pytest.raises(readers.FileProblem) as caught:
        _read(path)
    return caught.value.reason


def test_a_changed_moved_or_cut_chunk_is_refused(acme: Organisation, tmp_path: Path) -> None:
    data = os.urandom(3 * sealed.CHUNK + 100)
    original = _seal(tmp_path / "f", data, acme).read_bytes()
    body = len(original) - (3 * (sealed.CHUNK + sealed.TAG) + 100 + sealed.TAG)
    chunk = sealed.CHUNK + sealed.TAG
    variants = {
        "a byte flipped": original[: body + 10]
        + bytes([original[body + 10] ^ 1])
        + original[body + 11 :],
        "two chunks swapped": original[:body]
        + original[body + chunk : body + 2 * chunk]
        + original[body : body + chunk]
        + original[body + 2 * chunk :],
        "cut at a chunk boundary": original[: body + 2 * chunk],
        "cut inside a chunk": original[:-40],
        "bytes appended": original + b"\x00" * 50,
        "the key changed": original[:20] + bytes([original[20] ^ 1]) + original[21:],
    }
    for name, content in variants.items():
        path = tmp_path / name.replace(" ", "_")
        path.write_bytes(content)
        assert "damaged or was changed" in _damaged(path), name


def test_an_upload_is_sealed_on_disk_and_imports_the_same(cast: Any) -> None:
    text = "\n".join(",".join(r) for r in [HEADER, row(1), row(2, Victim="Yaroslava Shevchuk")])
    run = _upload(cast, text.encode())
    stored = Path(run.stored_path).read_bytes()
    assert stored.startswith(sealed.MAGIC)
    for clear in ("Yaroslava", "Олена", "Kharkiv", "killing_in_attack"):
        assert clear.encode() not in stored
    assert run.size == len(text.encode())
    run = actions.dry_run(cast.documenter, run)
    assert run.status == ImportRun.Status.VALID and run.total_rows == 2
    run = actions.commit_run(cast.documenter, run)
    assert run.status == ImportRun.Status.COMMITTED and run.created_rows == 2


def test_a_sealed_xlsx_upload_is_read_through_random_access(cast: Any, tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for values in [HEADER, row(1), row(2)]:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    run = _upload(cast, buffer.getvalue(), "xlsx")
    assert sealed.is_sealed(Path(run.stored_path))
    run = actions.dry_run(cast.documenter, run)
    assert run.status == ImportRun.Status.VALID and run.total_rows == 2


def test_a_tampered_upload_is_not_imported(cast: Any) -> None:
    text = "\n".join(",".join(r) for r in [HEADER, row(1)])
    run = _upload(cast, text.encode())
    path = Path(run.stored_path)
    content = bytearray(path.read_bytes())
    content[-5] ^= 1
    path.write_bytes(bytes(content))
    run = actions.dry_run(cast.documenter, run)
    assert run.status != ImportRun.Status.VALID
    assert "missing or has changed" in run.problem


def test_a_sealed_upload_is_read_by_the_forked_preparing_process(
    cast: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The preparing process inherits the open, decrypting file and reads it; this one closes
    its copy (the forked path, as the task worker runs it)."""
    import multiprocessing
    import threading

    from justicework.dataio import engine

    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("the preparing process needs fork()")
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    forks: list[object] = []
    context = engine._fork_context

    def counted() -> Any:
        found = context()
        forks.append(found)
        return found

    monkeypatch.setattr(engine, "_fork_context", counted)
    rows = [row(n, case=f"C{n // 4}") for n in range(1, 30)]
    text = "\n".join(",".join(r) for r in [HEADER, *rows])
    run = _upload(cast, text.encode())
    run = actions.commit_run(cast.documenter, run)
    assert run.status == ImportRun.Status.COMMITTED and run.created_rows == 29
    assert forks and all(f is not None for f in forks)
