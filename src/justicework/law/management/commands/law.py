"""``justicework law catalogue [--format json|text] [--language en|fr|es|ru|ar]``: print the
catalogue of crimes, their elements, the modes of liability and the crimes of other treaties.

It reads no record and names no organisation: the catalogue is public law restated in the
project's words, so the command runs without ``--as`` (the API asks the policy for
``law.catalogue.view``; a shell user on the server already has the package's data files)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from justicework.law.catalogue import LANGUAGES, CatalogueError, catalogue
from justicework.law.output import as_dict, as_text


class Command(BaseCommand):
    help = "The law: print the catalogue of international crimes and their elements."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        show = sub.add_parser("catalogue", help="print the catalogue of crimes")
        show.add_argument("--format", choices=("json", "text"), default="text")
        show.add_argument(
            "--language", choices=LANGUAGES, default="en", help="crime titles (text format)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            data = catalogue()
        except CatalogueError as error:
            raise CommandError(f"The catalogue is broken: {error}") from error
        if options["format"] == "json":
            self.stdout.write(json.dumps(as_dict(data), ensure_ascii=False, indent=1))
        else:
            self.stdout.write(as_text(data, options["language"]))
