"""``justicework survivor_reminders [--now]``: enqueue the support reminders for the worker
(``--now``: send them in this process). Run it daily from cron or a systemd timer; running it
more often sends nothing twice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from justicework.core import uses
from justicework.survivors import reminders
from justicework.survivors.tasks import send_support_reminders


class Command(BaseCommand):
    help = (
        "Enqueue (or, with --now, send) reminders of overdue referral follow-ups and actions, "
        "and of safety reviews that are due."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="Send now, not through the worker.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            with uses.using(uses.NO_PERSON_DATA.name):
                sent = reminders.send_reminders()
            self.stdout.write(f"{sent} reminder(s) sent.")
            return
        result = send_support_reminders.enqueue()
        self.stdout.write(f"Reminders enqueued ({result.id}).")
