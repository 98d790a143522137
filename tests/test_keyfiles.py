"""Local key files: created once, owner-only, never overwritten; a bad audit key is named."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from justicework import keyfiles


@pytest.fixture
def fresh_key_cache() -> object:
    keyfiles.audit_key.cache_clear()
    yield
    keyfiles.audit_key.cache_clear()


def test_main_creates_the_four_keys_once_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "var"
    monkeypatch.setenv("JUSTICEWORK_DATA_DIR", str(data_dir))
    import os

    old = os.umask(0o022)
    try:
        assert keyfiles.main() == 0
        first = capsys.readouterr().out
        before = {p.name: p.read_text() for p in data_dir.iterdir()}
        assert keyfiles.main() == 0
        second = capsys.readouterr().out
    finally:
        os.umask(old)
    assert sorted(before) == ["audit.key", "evidence-signing.key", "master.key", "secret.key"]
    assert first.count("created ") == 4 and "keep a copy" in first
    assert second == ""
    assert {p.name: p.read_text() for p in data_dir.iterdir()} == before
    assert data_dir.stat().st_mode & 0o777 == 0o700
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in data_dir.iterdir())
    assert len(base64.b64decode(before["master.key"])) == 32


def test_an_audit_key_that_is_not_base64_is_named(
    monkeypatch: pytest.MonkeyPatch, fresh_key_cache: object
) -> None:
    monkeypatch.setenv("JUSTICEWORK_AUDIT_KEY", "not base64 at all!")
    with pytest.raises(keyfiles.AuditKeyMissing, match="JUSTICEWORK_AUDIT_KEY must be base64"):
        keyfiles.audit_key()


def test_an_audit_key_of_the_wrong_length_says_how_long_it_is(
    monkeypatch: pytest.MonkeyPatch, fresh_key_cache: object
) -> None:
    monkeypatch.setenv("JUSTICEWORK_AUDIT_KEY", base64.b64encode(b"k" * 16).decode())
    with pytest.raises(keyfiles.AuditKeyMissing, match="it decodes to 16"):
        keyfiles.audit_key()
