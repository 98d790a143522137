from __future__ import annotations

import hashlib
import os
import stat

import pytest

from justicework.evidence.storage.local import LocalStore


def _whole(tmp_path, data, name="part"):
    path = tmp_path / name
    path.write_bytes(data)
    return path, hashlib.sha256(data).hexdigest()


def test_put_once_stores_by_content_read_only(tmp_path):
    store = LocalStore(tmp_path / "vault")
    source, digest = _whole(tmp_path, b"evidence bytes")
    assert store.put_once(digest, source) is True
    target = store.path_for(digest)
    assert target.relative_to(store.root).parts == ("originals", digest[:2], digest[2:4], digest)
    assert target.read_bytes() == b"evidence bytes"
    assert stat.S_IMODE(target.stat().st_mode) == 0o440
    assert store.exists(digest) and store.size(digest) == 14


def test_the_same_bytes_twice_are_stored_once(tmp_path):
    store = LocalStore(tmp_path / "vault")
    first, digest = _whole(tmp_path, b"same", "one")
    second, _ = _whole(tmp_path, b"same", "two")
    assert store.put_once(digest, first) is True
    assert store.put_once(digest, second) is False
    assert len(list((store.root / "originals").rglob("*"))) == 3  # ab/, ab/cd/, the file


def test_without_hard_links_it_copies_fsyncs_and_renames(tmp_path, monkeypatch):
    store = LocalStore(tmp_path / "vault")
    source, digest = _whole(tmp_path, b"copied")

    def no_link(*args):
        raise OSError("cross-device link")

    monkeypatch.setattr(os, "link", no_link)
    assert store.put_once(digest, source) is True
    assert store.path_for(digest).read_bytes() == b"copied"
    assert not list(store.path_for(digest).parent.glob(".*.tmp"))


def test_a_key_must_be_a_sha256(tmp_path):
    with pytest.raises(ValueError):
        LocalStore(tmp_path).key_for("../../etc/passwd")
