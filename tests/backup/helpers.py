"""An instance to back up, emptied into a new one, and what to compare between them."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management import call_command

from justicework.backup import tables
from justicework.backup.actions import file_roots
from justicework.encryption.keyring import keyring


def isolate(settings: Any, tmp_path: Path) -> Path:
    """A data directory of this test's own (uploads, staging), with the test keys."""
    data = tmp_path / "instance"
    data.mkdir()
    settings.DATA_DIR = data
    settings.MEDIA_ROOT = data / "files"
    settings.EVIDENCE_DIR = data / "evidence"
    settings.GRANTS_DIR = data / "grants"
    return data


def add_files() -> dict[str, str]:
    """An import upload (sealed by the importer's own writer) and a stored file; their
    SHA-256 by backup name."""
    from justicework.core.models import Organisation
    from justicework.dataio.actions import store_upload

    org = Organisation.objects.order_by("pk").first()
    assert org is not None
    store_upload([b"code,title\n", b"INC-1,Fictional\n" * 2000], "csv", org.pk)
    media = file_roots()["files"] / "evidence"
    media.mkdir(parents=True)
    (media / "photo.bin").write_bytes(bytes(range(256)) * 1000)
    for root, name in [("evidence", "sealed/1/ab/cd/original"), ("grants", "sealed/1/ef/01/pdf")]:
        path = file_roots()[root] / name
        path.parent.mkdir(parents=True)
        path.write_bytes(hashlib.sha256(name.encode()).digest() * 500)
    return snapshot_files()


def snapshot_files() -> dict[str, str]:
    found = {}
    for name, root in file_roots().items():
        if root.is_dir():
            for path in root.rglob("*"):
                if path.is_file():
                    key = f"{name}/{path.relative_to(root).as_posix()}"
                    found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def counts() -> dict[str, int]:
    return {m._meta.label_lower: tables.count(m) for m in tables.models()}


def empty_instance() -> None:
    """What `justicework migrate` leaves on a new instance: flush (content types and
    permissions come back, with new ids) and no uploaded file."""
    import shutil

    call_command("flush", interactive=False, verbosity=0, stdout=io.StringIO())
    for root in file_roots().values():
        shutil.rmtree(root, ignore_errors=True)
    keyring.clear()
    apps.get_model("contenttypes.ContentType").objects.clear_cache()


def run(*args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue() + err.getvalue()
    return 0, out.getvalue() + err.getvalue()
