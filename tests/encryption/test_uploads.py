"""Uploads too large for memory are never on disk in clear while the request is read."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from justicework.dataio import actions as dataio_actions
from justicework.dataio.models import ImportRun
from justicework.encryption.uploads import SealedTemporaryFile, SealedTemporaryUploadHandler
from tests.violations.test_import import MAPPING, row
from tests.violations.test_import_views import csv_bytes, login


def test_the_sealed_file_reads_back_at_any_offset_and_holds_no_plaintext():
    rng = random.Random(7)
    plain = b"".join(f"Victim name {i};".encode() for i in range(20_000))
    sealed = SealedTemporaryFile()
    position = 0
    while position < len(plain):
        step = rng.randint(1, 70_000)
        sealed.append(plain[position : position + step])
        position += step
    sealed.seek(0)
    assert sealed.read() == plain
    for _ in range(200):
        offset = rng.randrange(len(plain))
        sealed.seek(offset)
        length = rng.randint(1, 5_000)
        assert sealed.read(length) == plain[offset : offset + length]
    sealed.raw_file.seek(0)
    raw = sealed.raw_file.read()
    assert len(raw) == len(plain) and b"Victim name" not in raw
    sealed.close()


def test_two_sealed_files_use_different_keys():
    first, second = SealedTemporaryFile(), SealedTemporaryFile()
    for sealed in (first, second):
        sealed.append(b"same bytes" * 100)
        sealed.raw_file.seek(0)
    assert first.raw_file.read() != second.raw_file.read()


def test_the_upload_handler_is_the_one_django_uses():
    assert settings.FILE_UPLOAD_HANDLERS[-1].endswith(SealedTemporaryUploadHandler.__name__)
    assert not any("TemporaryFileUploadHandler" in h for h in settings.FILE_UPLOAD_HANDLERS[:-1])


def _open_files_holding(marker: bytes) -> list[str]:
    """Every regular file this process has open (deleted ones too, through /proc) whose bytes
    hold ``marker``."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        link = Path("/proc/self/fd") / fd
        try:
            target = os.readlink(link)
            if not Path(link).is_file():
                continue
            with open(link, "rb") as handle:
                if marker in handle.read(50_000_000):
                    found.append(target)
        except OSError:
            continue
    return found


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc (Linux)")
@override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_a_large_web_upload_is_not_in_clear_on_disk_while_the_request_runs(
    client, cast, monkeypatch
):
    mapping = dataio_actions.save_mapping(
        cast.documenter, cast.acme, kind="violations", name="Survey", file_format="csv",
        spec=MAPPING,
    )  # fmt: skip
    marker = "Ксенія Маркерова".encode()
    rows = [row(n, case=f"C{n}", Victim="Ксенія Маркерова") for n in range(1, 60)]
    content = csv_bytes(rows)
    assert len(content) > 1024 and marker in content
    seen: list[list[str]] = []
    real_store = dataio_actions.store_upload

    def store_and_look(chunks, *args, **kwargs):
        seen.append(_open_files_holding(marker))
        return real_store(chunks, *args, **kwargs)

    monkeypatch.setattr(dataio_actions, "store_upload", store_and_look)
    login(client, cast.documenter)
    response = client.post(
        reverse("dataio:upload", args=["violations"]),
        {
            "file": SimpleUploadedFile("v.csv", content, "text/csv"),
            "file_format": "csv",
            "mapping": mapping.pk,
            "mode": "resumable",
        },
    )
    assert response.status_code == 302
    assert seen == [[]]
    run = ImportRun.objects.get()
    assert run.size == len(content)
