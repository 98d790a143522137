"""``justicework grant_report_reminders [--now]``: enqueue the reminders of due reports for the
worker (``--now``: send them in this process). Run it daily; running it more often sends
nothing twice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from justicework.core import uses
from justicework.grants import reminders
from justicework.grants.tasks import send_report_reminders


class Command(BaseCommand):
    help = "Enqueue (or, with --now, send) reminders of grantees' reports that are due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="Send now, not through the worker.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            with uses.using(uses.NO_PERSON_DATA.name):
                sent = reminders.send_reminders()
            self.stdout.write(f"{sent} report reminder(s) sent.")
            return
        result = send_report_reminders.enqueue()
        self.stdout.write(f"Report reminders enqueued ({result.id}).")
