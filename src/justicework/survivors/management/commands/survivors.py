"""``justicework survivors retention review|apply [--dry-run] [--organisation SLUG] [--as
EMAIL]``: list the records whose retention period has run out (pseudonym codes only), or
anonymise / delete them as their schedule says, except those under a legal hold.

Without ``--as`` the platform acts for every organisation (as the scheduled job does); with
it, the user must be allowed ``manage_retention`` in the organisation (without
``--organisation``: every organisation they manage)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from justicework.core import policy
from justicework.core.models import Organisation, User
from justicework.core.uses import runs_as
from justicework.dataio.commands import _actor
from justicework.survivors.actions.retention import apply_retention
from justicework.survivors.retention import Due


def _line(due: Due, status: str) -> str:
    return (
        f"{due.record_type.name}\t{due.row_id}\t{due.code}\t{due.due_on.isoformat()}\t"
        f"{due.schedule.action}\t{status}"
    )


class Command(BaseCommand):
    help = "Survivors: retention review and apply (anonymise or delete, legal holds respected)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="area", required=True)
        retention = sub.add_parser("retention", help="retention schedules")
        retention.add_argument("verb", choices=["review", "apply"])
        retention.add_argument("--dry-run", action="store_true", help="apply: change nothing")
        retention.add_argument("--organisation", help="short name (default: every one)")
        retention.add_argument("--as", dest="actor", help="e-mail of the acting admin")

    def _organisations(self, slug: str | None, actor: User | None) -> list[Organisation]:
        """The one named, else every one (the platform) or the actor's that they manage."""
        organisations = Organisation.objects.filter(is_active=True).order_by("pk")
        if actor is not None and not slug:
            organisations = policy.visible(actor, Organisation, "manage_retention").filter(
                is_active=True
            )
        if slug:
            organisations = organisations.filter(slug=slug)
            if not organisations.exists():
                raise CommandError(f"No active organisation with the short name {slug!r}.")
        return list(organisations)

    @runs_as("survivors.retention")
    def handle(self, *args: Any, **options: Any) -> None:
        actor: User | None = _actor(options["actor"]) if options["actor"] else None
        dry_run = options["verb"] == "review" or options["dry_run"]
        for organisation in self._organisations(options["organisation"], actor):
            try:
                report = apply_retention(actor, organisation, dry_run=dry_run)
            except PermissionDenied as exc:
                raise CommandError(f"{organisation.slug}: {exc}") from None
            done = "due" if dry_run else "done"
            for due in report.done:
                self.stdout.write(_line(due, done))
            for due in report.held:
                self.stdout.write(_line(due, "held"))
            for due, reason in report.failed:
                self.stdout.write(_line(due, f"failed: {reason}"))
            for due in report.gone:
                self.stdout.write(_line(due, "gone with its survivor file"))
            self.stdout.write(
                f"{organisation.slug}: {len(report.done)} {done}, {len(report.held)} held, "
                f"{len(report.failed)} failed" + (" (dry run)" if dry_run else "")
            )
