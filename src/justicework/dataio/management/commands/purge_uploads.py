"""``justicework purge_uploads [--older-than-hours N]``: remove import uploads that were never
committed (they hold rows, sealed); see ``justicework.dataio.retention``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from justicework.dataio.retention import purge_uploads, upload_ttl


class Command(BaseCommand):
    help = "Remove uploaded import files older than IMPORT_UPLOAD_TTL_HOURS that were not imported."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than-hours",
            type=int,
            default=None,
            help="Age limit in hours (default: the IMPORT_UPLOAD_TTL_HOURS setting).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        hours = options["older_than_hours"]
        if hours is not None and hours < 0:
            self.stderr.write("--older-than-hours must be 0 or more.")
            raise SystemExit(2)
        ttl = timedelta(hours=hours) if hours is not None else upload_ttl()
        report = purge_uploads(ttl=ttl)
        self.stdout.write(
            f"Removed the files of {report.runs} import run(s) and {report.orphans} "
            "file(s) no run named."
        )
