"""Private files (issue 9, finding 4): every entry point sets umask 0o077, so the data directory
is 0700 and the database, its WAL and SHM, key files and uploads 0600; ``keys check`` and the
start-up check warn about anything group or others can read."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command

from justicework.encryption import filemodes

ROOT = Path(__file__).resolve().parents[2]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def run(code: str, data_dir: Path, *, settings: str = "justicework.settings") -> str:
    """Run ``code`` in a fresh interpreter started with the usual umask 022, with its own data
    directory and SQLite database; return stderr and stdout."""
    env = {
        **os.environ,
        "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}",
        "JUSTICEWORK_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": settings,
    }
    for name in ["DATABASE_URL", "JUSTICEWORK_SECRET_KEY", "JUSTICEWORK_MASTER_KEY"]:
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-c", f"import os; os.umask(0o022)\n{code}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=data_dir.parent,
    )
    assert result.returncode == 0, result.stderr
    return result.stderr + result.stdout


KEYFILES = "from justicework.keyfiles import main; main()"
CLI_KEYS_CHECK = "from justicework.cli import main; main(['keys', 'check'])"


def test_keyfiles_and_the_cli_create_a_private_data_dir_database_wal_and_keys(tmp_path):
    data_dir = tmp_path / "var"
    run(KEYFILES, data_dir)
    # keys check opens the database: SQLite creates the file, its WAL and SHM.
    output = run(
        "from justicework.cli import main\n"
        "from django.db import connection\n"
        "main(['keys', 'check'])\n"
        "connection.cursor().execute('CREATE TABLE probe (x int)')\n",
        data_dir,
    )
    assert mode(data_dir) == 0o700
    for name in ["secret.key", "master.key", "justicework.sqlite3"]:
        assert mode(data_dir / name) == 0o600, name
    for path in data_dir.iterdir():
        assert mode(path) & 0o077 == 0, path
    assert "readable by its owner only" in output


@pytest.mark.parametrize("module", ["wsgi", "asgi"])
def test_the_web_entry_points_set_the_umask(tmp_path, module):
    data_dir = tmp_path / "var"
    run(KEYFILES, data_dir)
    run(
        f"import justicework.{module}\n"
        "from django.conf import settings\n"
        "(settings.DATA_DIR / 'probe').write_text('x')\n"
        "(settings.DATA_DIR / 'dir').mkdir()\n",
        data_dir,
    )
    assert mode(data_dir / "probe") == 0o600
    assert mode(data_dir / "dir") == 0o700
    assert mode(data_dir / "justicework.sqlite3") == 0o600


def test_the_start_up_check_warns_about_an_open_data_directory(tmp_path):
    data_dir = tmp_path / "var"
    run(KEYFILES, data_dir)
    data_dir.chmod(0o755)
    (data_dir / "master.key").chmod(0o644)
    output = run("import justicework.wsgi", data_dir)
    assert "open to group or others" in output
    assert f"{data_dir / 'master.key'} (file, mode 0644)" in output
    assert f"{data_dir} (directory, mode 0755)" in output


def test_stored_files_are_0600_whatever_the_umask(tmp_path, settings):
    old = os.umask(0o022)
    try:
        storage = FileSystemStorage(location=tmp_path / "files")
        name = storage.save("evidence/a.txt", ContentFile(b"content"))
    finally:
        os.umask(old)
    assert mode(Path(storage.path(name))) == 0o600
    assert mode(tmp_path / "files" / "evidence") == 0o700


def keys_check() -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("keys", "check", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_keys_check_lists_what_group_or_others_can_read(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    settings.STATIC_ROOT = tmp_path / "static"
    (tmp_path / "static").mkdir(mode=0o755)
    (tmp_path / "static" / "site.css").write_text("body {}")
    (tmp_path / "static" / "site.css").chmod(0o644)  # public assets: not reported
    tmp_path.chmod(0o700)
    uploads = tmp_path / "imports"
    uploads.mkdir(mode=0o700)
    upload = uploads / "run.csv"
    upload.write_bytes(b"sealed")
    upload.chmod(0o600)
    out, err = keys_check()
    assert err == ""
    assert "readable by its owner only" in out
    upload.chmod(0o640)  # group-readable
    uploads.chmod(0o711)  # others may enter
    out, err = keys_check()
    assert "2 paths in or of the data directory are open to group or others" in err
    assert f"{upload} (file, mode 0640)" in err
    assert f"{uploads} (directory, mode 0711)" in err
    assert "site.css" not in err
    assert f"chmod -R go-rwx {tmp_path}" in err


def test_key_files_kept_outside_the_data_directory_are_checked(tmp_path, settings, monkeypatch):
    settings.DATA_DIR = tmp_path / "var"
    settings.DATA_DIR.mkdir(mode=0o700)
    key = tmp_path / "master.key"
    key.write_text("x")
    key.chmod(0o604)
    monkeypatch.setenv("JUSTICEWORK_MASTER_KEY_FILE", str(key))
    assert [e.path for e in filemodes.exposed_paths()] == [key]
    key.chmod(0o600)
    assert filemodes.exposed_paths() == []


@pytest.mark.django_db
def test_the_worker_warns_before_working(tmp_path, settings, monkeypatch, caplog):
    from justicework.tasks.management.commands import worker

    ran = []
    monkeypatch.setattr(worker, "call_command", lambda *args: ran.append(args))
    settings.DATA_DIR = tmp_path
    tmp_path.chmod(0o750)
    call_command("worker")
    assert f"{tmp_path} (directory, mode 0750)" in caplog.text
    assert ran == [("db_worker",)]
