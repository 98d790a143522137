"""``justicework reindex_persons --organisation SLUG --as EMAIL``: rebuild persons' blind indexes.

Run once after an upgrade that adds index kinds (issue 11: name half keys and ages), for each
organisation; audited as the acting user (who needs ``org.manage``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from justicework.core.models import Organisation, User
from justicework.core.uses import runs_as
from justicework.violations import actions


class Command(BaseCommand):
    help = "Rebuild the blind indexes (duplicate look-ups) of an organisation's persons."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="organisation short name")
        parser.add_argument(
            "--as", dest="actor", required=True, help="e-mail of the acting user (audited)"
        )

    @runs_as("violations.identity")
    def handle(self, *args: Any, **options: Any) -> None:
        actor = User.objects.filter(email__iexact=options["actor"], is_active=True).first()
        if actor is None:
            raise CommandError(f"No active user with the e-mail address {options['actor']!r}.")
        slug = options["organisation"]
        organisation = Organisation.objects.filter(slug=slug, is_active=True).first()
        if organisation is None:
            raise CommandError(f"No active organisation with the short name {slug!r}.")
        try:
            counts = actions.reindex_persons(
                actor,
                organisation,
                on_batch=lambda done: self.stderr.write(f"{done} persons re-indexed"),
            )
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Re-indexed {counts['persons']} persons ({counts['index_rows']} index values) "
            f"of {organisation.slug}."
        )
