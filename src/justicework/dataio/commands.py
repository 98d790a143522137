"""Generic ``import`` and ``export`` management commands (a domain app subclasses them).

    justicework import violations FILE --mapping NAME --organisation SLUG --as EMAIL [--dry-run]
    justicework export violations --format csv|xlsx|json --organisation SLUG --as EMAIL \
        [--output FILE]

Every import and export acts as a named user (``--as``) and goes through the same actions,
policy checks and audit as the web pages.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from justicework.core import policy
from justicework.core.models import Organisation, User
from justicework.dataio import actions, engine, export
from justicework.dataio import schema as schemas
from justicework.dataio.mapping import MappingError
from justicework.dataio.mapping_cli import checked_against_file, file_columns, problem_lines
from justicework.dataio.models import FileFormat, ImportRun, Mapping
from justicework.dataio.readers import too_deep_message
from justicework.dataio.reimport_cli import SHOWN_CHANGES, print_changes

SUFFIX_FORMATS = {".csv": FileFormat.CSV, ".xlsx": FileFormat.XLSX, ".json": FileFormat.KOBO}


def _actor(email: str) -> User:
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        raise CommandError(f"No active user with the e-mail address {email!r}.")
    return user


def _organisation(slug: str | None, actor: User, action: str) -> Organisation:
    """The organisation named by ``slug``; without one, the actor's only organisation on which
    the policy allows ``action`` ("import", "export")."""
    if slug:
        organisation = Organisation.objects.filter(slug=slug, is_active=True).first()
        if organisation is None:
            raise CommandError(f"No active organisation with the short name {slug!r}.")
        return organisation
    candidates = list(policy.visible(actor, Organisation, action).order_by("name"))
    if len(candidates) != 1:
        raise CommandError(
            "Give --organisation SLUG"
            + (f" (one of: {', '.join(o.slug for o in candidates)})." if candidates else ".")
        )
    return candidates[0]


def _mapping_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except RecursionError as exc:
        raise CommandError(too_deep_message(f"{path}")) from exc


def _common(parser: CommandParser) -> None:
    parser.add_argument("kind", help="what to import or export, e.g. violations")
    parser.add_argument(
        "--organisation",
        help="organisation short name (slug); optional when the user has only one",
    )
    parser.add_argument(
        "--as", dest="actor", required=True, help="e-mail of the acting user (audited)"
    )


class ImportCommand(BaseCommand):
    help = "Import a CSV, XLSX or Kobo/ODK JSON file through a saved mapping."

    def add_arguments(self, parser: CommandParser) -> None:
        _common(parser)
        parser.add_argument("file", type=Path)
        parser.add_argument("--mapping", help="name of a saved mapping of the organisation")
        parser.add_argument(
            "--save-mapping",
            type=Path,
            metavar="JSON",
            help="save this mapping JSON under --mapping's name first",
        )
        parser.add_argument("--format", choices=FileFormat.values, help="default: from suffix")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument("--mode", choices=ImportRun.Mode.values, default=ImportRun.Mode.ATOMIC)
        parser.add_argument(
            "--update",
            action="store_true",
            help="after importing the new rows, apply the changed rows of a corrected release to "
            "the records imported from them (audited updates, all or nothing); without it, "
            "changed rows are listed and left as they are",
        )
        parser.add_argument(
            "--reason",
            default="",
            help="with --update: why the records change (in the audit log; a verified incident "
            "that changes returns to documented with this reason)",
        )
        parser.add_argument(
            "--resume",
            action="store_true",
            help="continue the stopped import of this file and mapping (if there is one): "
            "rows already imported are skipped, the run's counts include its earlier attempts",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kind: str = options["kind"]
        if kind not in schemas.kinds():
            raise CommandError(f"Unknown kind {kind!r}; known: {', '.join(schemas.kinds())}.")
        actor = _actor(options["actor"])
        organisation = _organisation(options["organisation"], actor, "import")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        file_format = options["format"] or SUFFIX_FORMATS.get(path.suffix.lower())
        if file_format is None:
            raise CommandError("Cannot tell the format from the file name; give --format.")
        if not options["mapping"]:
            raise CommandError("Give --mapping NAME (a saved mapping).")
        if options["resume"] and options["dry_run"]:
            raise CommandError("--resume imports; it cannot be combined with --dry-run.")
        if options["update"] and options["dry_run"]:
            raise CommandError(
                "--update writes the changes; --dry-run lists them. Give one of the two."
            )
        stopped = actions.fail_stale_runs(organisation)
        if stopped:
            self.stderr.write(
                f"{stopped} import(s) whose process had ended were marked failed (resumable)."
            )
        try:
            mapping = self._mapping(actor, organisation, kind, path, file_format, options)
            if options["dry_run"]:
                self._dry_run(actor, organisation, kind, path, file_format, mapping)
            else:
                checked_against_file(mapping.spec, kind, path, file_format)
                self._commit(actor, organisation, kind, path, file_format, mapping, options)
        except PermissionDenied as exc:
            raise CommandError(f"Not allowed: {exc}") from exc
        except (ValidationError, MappingError) as exc:
            raise CommandError(problem_lines(exc)) from exc
        except json.JSONDecodeError as exc:
            raise CommandError(f"{options['save_mapping']}: not valid JSON ({exc}).") from exc

    def _mapping(
        self,
        actor: User,
        organisation: Organisation,
        kind: str,
        path: Path,
        file_format: str,
        options: dict[str, Any],
    ) -> Mapping:
        """The saved mapping ``--mapping``, first saved from ``--save-mapping`` if given (every
        check of the mapping runs, against the columns of the file at hand)."""
        if options["save_mapping"]:
            spec_data = _mapping_json(options["save_mapping"])
            actions.save_mapping(
                actor, organisation, kind=kind, name=options["mapping"], file_format=file_format,
                spec=spec_data, columns=file_columns(path, file_format, spec_data, kind),
            )  # fmt: skip
        mapping = (
            policy.visible(actor, Mapping, "use")
            .filter(organisation=organisation, kind=kind, name=options["mapping"])
            .first()
        )
        if mapping is None and options["mapping"] in schemas.get(kind).shipped_mappings():
            # A mapping that ships with the app, used by name: added to the organisation's
            # mappings first (checked and audited as any saved mapping).
            mapping = actions.install_shipped_mapping(
                actor, organisation, kind=kind, name=options["mapping"]
            )
        if mapping is None:
            raise CommandError(
                f"No mapping {options['mapping']!r} for {kind} in {organisation.slug} "
                "that you may use."
            )
        return mapping

    def _progress(self, phase: str, done: int, total: int) -> None:
        shown = f"{done:,}/{total:,}" if total else f"{done:,}"
        self.stderr.write(f"\r{phase}: {shown} rows", ending="")
        self.stderr.flush()

    def _report(self, problem: Any) -> None:
        where = f"row {problem.row}" + (f", column {problem.column!r}" if problem.column else "")
        self.stdout.write(f"{where}: {problem.reason}")

    def _dry_run(
        self,
        actor: User,
        organisation: Organisation,
        kind: str,
        path: Path,
        file_format: str,
        mapping: Mapping,
    ) -> None:
        policy.require(actor, "create", ImportRun(organisation=organisation, kind=kind))
        schema = schemas.get(kind)
        spec = checked_against_file(mapping.spec, kind, path, file_format)
        started = time.monotonic()
        outcome = engine.validate(
            schema,
            organisation,
            path,
            file_format,
            spec,
            on_problem=self._report,
            on_progress=self._progress if self.stderr.isatty() else None,
        )
        if outcome.problem is not None:
            self._report(outcome.problem)
        for line in schema.describe_flags(actor, organisation, outcome.flags):
            self.stdout.write(line)
        self.stderr.write("")
        if outcome.ok and outcome.changes:
            print_changes(self.stdout.write, actor, schema, organisation, path, file_format, spec,
                          outcome.changes[:SHOWN_CHANGES])  # fmt: skip
        self.stdout.write(
            f"Dry run: {outcome.rows:,} rows, {outcome.valid:,} valid, "
            f"{outcome.error_count + (1 if outcome.problem else 0):,} errors, "
            f"{outcome.already_imported:,} already imported "
            f"({outcome.already_imported - outcome.changed:,} unchanged, "
            f"{outcome.changed:,} changed), "
            f"{outcome.valid - outcome.already_imported:,} new"
            + (f", {outcome.flag_count:,} likely duplicate persons" if outcome.flag_count else "")
            + " "
            f"({time.monotonic() - started:.1f} s). Nothing was written."
            + (" Apply the changes with --update." if outcome.changed else "")
        )
        if not outcome.ok:
            sys.exit(1)

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
        started = time.monotonic()
        progress = self._progress if self.stderr.isatty() else None
        stopped = None
        if options["resume"]:
            stopped = actions.stopped_run(
                actor, organisation, kind=kind, path=path, mapping=mapping
            )
            self.stderr.write(
                f"Resuming import #{stopped.pk}." if stopped is not None
                else "No stopped import of this file to resume; starting a new one."
            )  # fmt: skip
        if stopped is not None:
            run = actions.commit_run(actor, stopped, on_progress=progress)
        else:
            run = actions.import_file(
                actor,
                organisation,
                kind=kind,
                path=path,
                file_format=file_format,
                mapping=mapping,
                mode=options["mode"],
                on_progress=progress,
            )
        self.stderr.write("")
        for error in run.row_errors.all()[:10_000]:
            self._report(error)
        elapsed = time.monotonic() - started
        if run.status != ImportRun.Status.COMMITTED:
            self.stdout.write(
                f"Import #{run.pk}: {run.error_count:,} errors; nothing was written"
                + (" (complete chunks kept; run again to resume)." if run.created_rows else ".")
            )
            sys.exit(1)
        self.stdout.write(
            f"Import #{run.pk}: {run.processed_rows:,} rows, {run.created_rows:,} created, "
            f"{run.skipped_rows:,} already imported ({elapsed:.1f} s)."
        )
        if options["update"]:
            applied = actions.apply_changes(actor, run, None, options["reason"])
            self.stdout.write(f"Import #{run.pk}: {applied:,} changed rows applied (audited).")


def _filters(given: list[str]) -> dict[str, str]:
    """``NAME=VALUE`` pairs as a mapping; a pair without ``=`` is refused by name."""
    filters: dict[str, str] = {}
    for pair in given:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise CommandError(f"--filter {pair!r}: write NAME=VALUE (e.g. country=UA).")
        filters[name.strip()] = value.strip()
    return filters


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(f"{name}: {' '.join(m)}" for name, m in exc.message_dict.items())
    return " ".join(exc.messages)


class ExportCommand(BaseCommand):
    help = "Export what the acting user may see, as CSV, XLSX or JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        _common(parser)
        parser.add_argument("--format", choices=export.FORMATS, default="csv")
        parser.add_argument("--output", type=Path, help="file to write (default: standard output)")
        parser.add_argument(
            "--filter",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="a filter of the kind's list, as on the web (e.g. country=UA, q=market); repeat",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kind: str = options["kind"]
        if kind not in schemas.kinds():
            raise CommandError(f"Unknown kind {kind!r}; known: {', '.join(schemas.kinds())}.")
        if not schemas.get(kind).exports():
            raise CommandError(f"Records of kind {kind!r} cannot be exported.")
        actor = _actor(options["actor"])
        organisation = _organisation(options["organisation"], actor, "export")
        fmt: str = options["format"]
        output: Path | None = options["output"]
        if fmt == "xlsx" and output is None:
            raise CommandError("XLSX is binary: give --output FILE.")
        filters = _filters(options["filter"])
        unknown = sorted(set(filters) - set(schemas.get(kind).export_filter_names))
        if unknown:
            allowed = ", ".join(schemas.get(kind).export_filter_names) or "none"
            raise CommandError(f"Unknown filter(s) {', '.join(unknown)}; {kind} takes: {allowed}.")
        try:
            header, rows = actions.start_export(
                actor, organisation, kind=kind, file_format=fmt, filters=filters
            )
        except PermissionDenied as exc:
            raise CommandError(f"Not allowed: {exc}") from exc
        except ValidationError as exc:
            raise CommandError(f"Bad filter: {_messages(exc)}") from exc
        if fmt == "xlsx":
            assert output is not None
            with output.open("wb") as out:
                export.write_xlsx(header, rows, out)
            return
        chunks = (
            export.csv_lines(header, rows) if fmt == "csv" else export.json_chunks(header, rows)
        )
        if output is None:
            for chunk in chunks:
                self.stdout.write(chunk.decode("utf-8").lstrip("\ufeff"), ending="")
            return
        with output.open("wb") as out:
            for chunk in chunks:
                out.write(chunk)
