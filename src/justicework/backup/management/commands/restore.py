"""``justicework restore [--check] IN``: restore a backup onto this empty instance, all or
nothing, or with ``--check`` only verify it (``justicework.backup.actions``). Exit 1 with the
reason when anything does not match; the instance is then unchanged."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from justicework.backup.actions import check_backup, restore_backup
from justicework.backup.archive import BackupError


class Command(BaseCommand):
    help = "Restore a backup onto an empty instance (or --check it without writing anything)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("backup", type=Path, help="The backup file.")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Decrypt and verify everything (hashes, counts, audit chain) but write nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        path: Path = options["backup"]
        try:
            if options["check"]:
                found = check_backup(path)
                rows, files = sum(found.rows.values()), found.files
                verb = "verified (nothing written)"
            else:
                summary = restore_backup(path)
                if summary.completed:
                    self.stdout.write(
                        self.style.SUCCESS(
                            "A restore interrupted after its commit was completed: its files "
                            "are now in place (run `justicework audit verify`)."
                        )
                    )
                    return
                rows, files = sum(summary.rows.values()), summary.files
                verb = "restored; audit chain verified, files re-hashed, counts match"
        except BackupError as exc:
            # SystemExit, not CommandError: the exit code is what scripts look at (as audit).
            self.stderr.write(self.style.ERROR(f"Restore of {path} refused: {exc}"))
            raise SystemExit(1) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup {path} {verb}: {rows} rows, {files} files "
                f"({time.monotonic() - started:.1f} s)."
            )
        )
