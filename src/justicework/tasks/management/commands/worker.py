"""``justicework worker [db_worker options]``: check the master key, then work the task queue.

The same start-up check as ``wsgi.py``: a worker started with a wrong or lost
``JUSTICEWORK_MASTER_KEY`` stops at once with the message naming the variable, instead of
failing on the first import that encrypts an identity; a data directory open to group or
others is logged as a warning (the umask is set by the ``justicework`` script). Every option is
passed to ``django_tasks_db``'s ``db_worker`` (``--interval``, ``--batch``, ``--queue-name``, …).
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from justicework.encryption.filemodes import warn_if_exposed
from justicework.encryption.keyring import MasterKeyMismatch
from justicework.encryption.startup import check_master_key


class Command(BaseCommand):
    help = "Check the master key, then run db_worker with the given options."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("worker_args", nargs="*", help="Options for db_worker.")

    def run_from_argv(self, argv: list[str]) -> None:
        # Pass everything after "worker" to db_worker untouched (its own parser checks it).
        self._worker_args = argv[2:]
        super().run_from_argv([*argv[:2]])

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            check_master_key()
        except MasterKeyMismatch as exc:
            raise CommandError(str(exc)) from exc
        warn_if_exposed()
        call_command("db_worker", *getattr(self, "_worker_args", options["worker_args"]))
