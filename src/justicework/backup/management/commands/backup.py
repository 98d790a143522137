"""``justicework backup OUT``: an encrypted backup of the database, the uploaded files and a
signed audit checkpoint (``justicework.backup.actions``). Keys are never inside it."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from justicework.backup.actions import create_backup
from justicework.backup.archive import BackupError


class Command(BaseCommand):
    help = "Write an encrypted backup (database rows, uploaded files, signed audit checkpoint)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("out", type=Path, help="The backup file to create (never overwritten).")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            summary = create_backup(options["out"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {summary.path}: {sum(summary.rows.values())} rows in "
                f"{len(summary.rows)} tables, {summary.files} files, audit checkpoint at entry "
                f"#{summary.checkpoint_seq} ({time.monotonic() - started:.1f} s)."
            )
        )
        self.stdout.write(
            "It is encrypted under this instance's master key and holds no key: keep copies of "
            "master.key, audit.key and secret.key apart from it (a restore needs them)."
        )
