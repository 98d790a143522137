"""``justicework import violations FILE --mapping NAME --organisation SLUG --as EMAIL``

(add ``--dry-run`` to check every row and write nothing). The dry run lists the likely
duplicate persons; ``--link ROW=CODE`` (or ``ROW=row:N`` for an earlier row of the file, or
``ROW=new``), repeated or read from ``--decisions FILE`` (one ``ROW=TARGET`` per line), decides
them: the file is then stored as a run, checked, the decisions are taken on that run (all or
none: a refused one names its row and reason and nothing is written) and the run is committed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.db import transaction

from justicework.core.models import Organisation, User
from justicework.core.uses import runs_as
from justicework.dataio import actions as dataio_actions
from justicework.dataio.commands import ImportCommand
from justicework.dataio.models import ImportRun, Mapping
from justicework.violations import actions

READ_SIZE = 1 << 20


def parse_links(pairs: list[str], decisions_file: Path | None) -> dict[int, str]:
    """``ROW=TARGET`` pairs (and the lines of ``decisions_file``) as ``{row: target}``; a bad
    pair is refused by name."""
    lines = list(pairs)
    if decisions_file is not None:
        try:
            text = decisions_file.read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"{decisions_file}: cannot read it ({exc.strerror}).") from exc
        lines += [
            line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
        ]
    links: dict[int, str] = {}
    for pair in lines:
        row, sep, target = pair.partition("=")
        if not sep or not row.strip().isdigit() or not target.strip():
            raise CommandError(
                f"--link {pair!r}: write ROW=CODE, ROW=row:N or ROW=new (e.g. 12=P-9SDEX)."
            )
        links[int(row)] = target.strip()
    return links


def _read(path: Path) -> Any:
    with path.open("rb") as handle:
        while chunk := handle.read(READ_SIZE):
            yield chunk


class Command(ImportCommand):
    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--link",
            action="append",
            default=[],
            metavar="ROW=TARGET",
            help="decide a likely duplicate the dry run listed: ROW=P-XXXXX links the row's "
            "victim to that stored person, ROW=row:N to the person of row N, ROW=new keeps it "
            "new; repeat",
        )
        parser.add_argument(
            "--decisions", type=Path, metavar="FILE", help="a file of ROW=TARGET lines"
        )

    @runs_as("dataio.import")
    def handle(self, *args: Any, **options: Any) -> None:
        links = parse_links(options["link"], options["decisions"])
        if links and (options["dry_run"] or options["resume"]):
            raise CommandError(
                "--link and --decisions decide a new import; run --dry-run without them to "
                "list the likely duplicates, and do not combine them with --resume."
            )
        self._links = links
        super().handle(*args, **options)

    def _commit(
        self,
        actor: User,
        organisation: Organisation,
        kind: str,
        path: Path,
        file_format: str,
        mapping: Mapping,
        options: dict[str, Any],
    ) -> None:
        if not getattr(self, "_links", None):
            super()._commit(actor, organisation, kind, path, file_format, mapping, options)
            return
        run = dataio_actions.start_run(
            actor, organisation, kind=kind, file_format=file_format, filename=path.name,
            chunks=_read(path), mapping=mapping, mode=options["mode"],
        )  # fmt: skip
        run = dataio_actions.dry_run(actor, run)
        if run.status != ImportRun.Status.VALID:
            for error in run.row_errors.all()[:10_000]:
                self._report(error)
            raise CommandError(f"Import #{run.pk}: the check found errors; nothing was written.")
        self._decide(actor, run)
        run = dataio_actions.commit_run(actor, run)
        for error in run.row_errors.all()[:10_000]:
            self._report(error)
        if run.status != ImportRun.Status.COMMITTED:
            raise CommandError(
                f"Import #{run.pk}: {run.error_count:,} errors; nothing was written."
            )
        self.stdout.write(
            f"Import #{run.pk}: {run.processed_rows:,} rows, {run.created_rows:,} created, "
            f"{run.skipped_rows:,} already imported, {len(self._links):,} duplicate decisions."
        )

    def _decide(self, actor: User, run: ImportRun) -> None:
        """Take every decision on ``run``, or none (each refusal names its row)."""
        problems: list[str] = []
        with transaction.atomic():
            for row, target in sorted(self._links.items()):
                try:
                    actions.decide_import_duplicate(actor, run, row, target)
                except ValidationError as exc:
                    problems.append(f"row {row}: {' '.join(exc.messages)}")
            if problems:
                transaction.set_rollback(True)
        if problems:
            raise CommandError("\n".join([*problems, f"Import #{run.pk}: nothing was written."]))
