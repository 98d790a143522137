"""``encryption.filemodes`` without a subprocess: what the walk of the data directory reports
(and skips: symbolic links, the public static tree, entries past the limit), the operator's
advice, and the start-up warning."""

from __future__ import annotations

import logging
import os

import pytest

from justicework.encryption import filemodes


@pytest.fixture
def data_dir(tmp_path, settings, monkeypatch):
    root = tmp_path / "var"
    root.mkdir(mode=0o700)
    root.chmod(0o700)
    settings.DATA_DIR = root
    settings.STATIC_ROOT = root / "static"
    monkeypatch.setitem(settings.DATABASES["default"], "NAME", ":memory:")
    for name in filemodes.KEY_FILE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return root


def private_file(path, mode=0o600):
    path.write_text("x")
    path.chmod(mode)
    return path


def test_a_private_directory_exposes_nothing(data_dir):
    private_file(data_dir / "db.sqlite3")
    (data_dir / "imports").mkdir(mode=0o700)
    assert filemodes.exposed_paths() == []


def test_a_missing_data_directory_exposes_nothing(data_dir, settings):
    assert filemodes.exposed_paths(data_dir / "not-made-yet") == []


def test_open_entries_are_found_at_any_depth(data_dir):
    deep = data_dir / "a" / "b"
    deep.mkdir(parents=True)
    (data_dir / "a").chmod(0o700)
    deep.chmod(0o700)
    leaked = private_file(deep / "upload", 0o604)
    found = filemodes.exposed_paths()
    assert [(e.path, e.describe()) for e in found] == [(leaked, f"{leaked} (file, mode 0604)")]


def test_symbolic_links_and_the_static_tree_are_not_reported(data_dir, tmp_path):
    outside = private_file(tmp_path / "elsewhere", 0o644)
    (data_dir / "link").symlink_to(outside)
    static = data_dir / "static"
    static.mkdir(mode=0o755)
    static.chmod(0o755)
    private_file(static / "site.css", 0o644)
    assert filemodes.exposed_paths() == []


def test_the_limit_bounds_the_entries_looked_at(data_dir):
    for index in range(5):
        private_file(data_dir / f"open-{index}", 0o644)
    assert len(filemodes.exposed_paths()) == 5
    assert len(filemodes.exposed_paths(limit=3)) == 2  # the directory itself is the first


def test_advice_shows_the_first_entries_and_counts_the_rest(data_dir):
    exposures = [filemodes.Exposure(data_dir / f"f{i}", 0o100644) for i in range(13)]
    lines = filemodes.advice(exposures, shown=10)
    assert lines[0].startswith("13 paths in or of the data directory are open")
    assert lines[1] == f"  {data_dir / 'f0'} (file, mode 0644)"
    assert lines[-2] == "  ... and 3 more"
    assert lines[-1].startswith(f"Fix: chmod -R go-rwx {data_dir}")
    assert len(lines) == 1 + 10 + 2


def test_the_start_up_check_warns_but_never_stops(data_dir, caplog):
    assert filemodes.warn_if_exposed() == []
    assert "open to group or others" not in caplog.text
    data_dir.chmod(0o750)
    with caplog.at_level(logging.WARNING, logger="justicework.security"):
        found = filemodes.warn_if_exposed()
    assert [e.path for e in found] == [data_dir]
    assert f"{data_dir} (directory, mode 0750)" in caplog.text


def test_a_sqlite_database_outside_the_data_directory_is_checked(
    data_dir, tmp_path, settings, monkeypatch
):
    database = private_file(tmp_path / "elsewhere.sqlite3", 0o644)
    private_file(tmp_path / "elsewhere.sqlite3-wal", 0o600)
    monkeypatch.setitem(settings.DATABASES["default"], "ENGINE", "django.db.backends.sqlite3")
    monkeypatch.setitem(settings.DATABASES["default"], "NAME", str(database))
    assert filemodes.sensitive_files_outside(data_dir) == [
        database,
        tmp_path / "elsewhere.sqlite3-wal",
    ]
    assert [e.path for e in filemodes.exposed_paths()] == [database]


def test_restrict_umask_returns_the_previous_mask():
    previous = filemodes.restrict_umask()
    try:
        assert os.umask(0o077) == filemodes.UMASK
    finally:
        os.umask(previous)
