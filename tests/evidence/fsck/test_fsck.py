"""``justicework evidence fsck``: a corrupted file, a missing file, an orphan, a broken chain,
an unfinished removal; one line each, exit status 1; a clean vault is 0."""

from __future__ import annotations

import hashlib
import io
import os

import pytest
from django.core.management import call_command
from django.db import connection

from justicework.evidence import fsck, triggers
from justicework.evidence.actions import removals
from justicework.evidence.models import CustodyEntry
from justicework.evidence.storage import store

from ..conftest import upload_file
from ..removal.helpers import second_admin


def run_fsck(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("evidence", "fsck", *args, stdout=out)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue()
    return 0, out.getvalue()


@pytest.fixture
def two_items(documenter, acme):
    return [upload_file(documenter, acme, f"file {n}".encode(), filename=f"{n}.txt",
                        collector="Ana") for n in (1, 2)]  # fmt: skip


def _overwrite(sha256: str, data: bytes) -> None:
    path = store().path_for(sha256)
    os.chmod(path, 0o640)
    path.write_bytes(data)


def test_a_clean_vault_passes(two_items):
    code, out = run_fsck()
    assert code == 0, out
    assert out.strip().splitlines() == ["OK: checked 2 originals, 2 stored files, 2 custody chains"]


def test_a_changed_file_is_named(two_items):
    original = two_items[0].original
    _overwrite(original.sha256, b"file 9")
    code, out = run_fsck()
    assert code == 1
    found = hashlib.sha256(b"file 9").hexdigest()
    assert (
        f"PROBLEM originals: original {original.pk} (sha256 {original.sha256}): the stored file "
        f"{original.storage_key} changed: SHA-256 {found}, 6 bytes; the row says "
        f"{original.sha256}, 6 bytes"
    ) in out
    assert "1 problem(s)" in out


def test_a_missing_file_is_named(two_items):
    original = two_items[1].original
    store().path_for(original.sha256).unlink()
    code, out = run_fsck()
    assert code == 1
    assert f"original {original.pk} (sha256 {original.sha256}): the stored file " in out
    assert f"{original.storage_key} is missing" in out


def test_an_orphan_file_is_named(two_items, tmp_path):
    data = b"stored, then the process died before the commit"
    sha256 = hashlib.sha256(data).hexdigest()
    source = tmp_path / "part"
    source.write_bytes(data)
    assert store().put_once(sha256, source)
    code, out = run_fsck()
    assert code == 1
    assert (
        f"PROBLEM orphans: file originals/{sha256[:2]}/{sha256[2:4]}/{sha256}: stored, but no "
        "original row points at it"
    ) in out


def test_a_broken_custody_chain_is_named(two_items):
    item = two_items[0]
    with triggers.suspended(connection):
        CustodyEntry.objects.filter(item=item, seq=1).update(actor_label="someone else")
    code, out = run_fsck()
    assert code == 1
    assert f"PROBLEM custody: item {item.pk}: entry 1: its hash does not match its content" in out
    assert f"item {two_items[1].pk}" not in out


def test_missing_triggers_are_a_problem(two_items):
    with triggers.suspended(connection):
        code, out = run_fsck()
    assert code == 1 and "append-only are missing or disabled" in out


def test_an_unfinished_removal_is_reported_and_repaired(admin, acme, two_items):
    item = two_items[0]
    request = removals.request_removal(admin, item, reason="order", legal_basis="art. 17")
    removals.approve_removal(second_admin(acme), request)  # on-commit never runs: "the crash"
    code, out = run_fsck()
    assert code == 1
    assert f"PROBLEM removals: original {item.original_id} (sha256 " in out
    assert f"approved for removal (items {item.pk}, all tombstones)" in out
    code, out = run_fsck("--repair")
    assert code == 0, out
    assert "REPAIRED removals:" in out and "removed now" in out
    assert not store().exists(item.original.sha256)
    code, out = run_fsck()
    assert code == 0 and "PROBLEM" not in out  # a removed original's missing file is expected


def test_a_registered_check_runs(two_items, monkeypatch):
    monkeypatch.setattr(fsck, "CHECKS", list(fsck.CHECKS))

    def derivatives(run: fsck.Run):
        run.count("derivatives")
        yield fsck.Problem("derivatives", "derivative 3", "its original 99 does not exist")

    fsck.register("derivatives", derivatives)
    code, out = run_fsck()
    assert code == 1
    assert "PROBLEM derivatives: derivative 3: its original 99 does not exist" in out
