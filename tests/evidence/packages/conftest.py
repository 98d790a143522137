"""Helpers of the package tests: make a package of two items, run both verifiers on a file,
and rewrite a package's members (the tampering)."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command

from justicework.core.models import Organisation, User
from justicework.evidence.actions import packages as package_actions
from justicework.evidence.models import Item

from ..conftest import upload_file


def two_items(user: User, organisation: Organisation) -> list[Item]:
    return [
        upload_file(user, organisation, b"first file\n" * 100, filename="one.txt", collector="Ana"),
        upload_file(user, organisation, b"\x89PNG second" * 50, filename="../two.png"),
    ]


@pytest.fixture
def package(documenter: User, acme: Organisation, tmp_path: Path) -> Path:
    items = two_items(documenter, acme)
    out = tmp_path / "package.zip"
    package_actions.package_items(documenter, acme, items, out)
    return out


def cli_verify(path: Path, *extra: str) -> tuple[int, list[str]]:
    """``justicework evidence verify``: (exit status, its PROBLEM lines)."""
    out = io.StringIO()
    try:
        call_command("evidence", "verify", str(path), *extra, stdout=out)
        status = 0
    except SystemExit as exc:
        status = int(exc.code or 0)
    return status, [line for line in out.getvalue().splitlines() if line.startswith("PROBLEM")]


def standalone_verify(path: Path, *extra: str, verifier: Path | None = None) -> tuple[int, str]:
    """The ``verify.py`` shipped in the package (or ``verifier``), run by a Python in isolated
    mode (no PYTHONPATH: it cannot import the project); (exit status, its output)."""
    if verifier is None:
        verifier = path.with_name("shipped_verify.py")
        with zipfile.ZipFile(path) as archive:
            verifier.write_bytes(archive.read("verify.py"))
    done = subprocess.run(
        [sys.executable, "-I", str(verifier), str(path), *extra],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    return done.returncode, done.stdout + done.stderr


def problems_of(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("PROBLEM")]


def rewrite(
    source: Path, target: Path, change: Callable[[str, bytes], bytes | None],
    add: dict[str, bytes] | None = None,
) -> Path:  # fmt: skip
    """Copy ``source`` to ``target``, each member through ``change`` (None drops it)."""
    with zipfile.ZipFile(source) as reading, zipfile.ZipFile(target, "w") as writing:
        for info in reading.infolist():
            data = change(info.filename, reading.read(info))
            if data is not None:
                writing.writestr(info.filename, data)
        for name, data in (add or {}).items():
            writing.writestr(name, data)
    return target
