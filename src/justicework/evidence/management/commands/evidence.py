"""``justicework evidence extract [--item N] [--again]``.

* ``extract`` reads the metadata and perceptual hashes of every original that has none yet
  (``--again``: of every original), or of the original of item N (``--item N``, read again).
  It prints one line per original and its findings' codes; exit 0 (findings are not errors),
  exit 1 when item N does not exist.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from justicework.evidence.actions.provenance import extract_provenance
from justicework.evidence.models import Item, Original


class Command(BaseCommand):
    help = "Evidence vault: read provenance (metadata, perceptual hashes) of stored originals."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        extract = sub.add_parser("extract", help="Read metadata and perceptual hashes.")
        extract.add_argument("--item", type=int, help="Only the original of this item (again).")
        extract.add_argument("--again", action="store_true", help="Every original, again.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "extract":
            self.extract(options.get("item"), again=options["again"])

    def extract(self, item_id: int | None, *, again: bool) -> None:
        if item_id is not None:
            item = Item.objects.select_related("original").filter(pk=item_id).first()
            if item is None:
                raise CommandError(f"There is no evidence item {item_id}.")
            originals = [item.original]
        else:
            query = Original.objects.order_by("pk")
            if not again:
                query = query.filter(provenance__isnull=True)
            originals = list(query.iterator())
        for original in originals:
            row = extract_provenance(original)
            codes = ", ".join(f["code"] for f in row.findings) or "-"
            self.stdout.write(f"{original.sha256[:16]} {row.kind} findings: {codes}")
        self.stdout.write(f"{len(originals)} original(s) read.")
