"""``justicework evidence capture URL --organisation SLUG --as EMAIL`` and
``justicework evidence ingest PATH --organisation SLUG --as EMAIL [--incident N] [--dry-run]``.

``capture`` fetches the page here and now (not through the worker) and prints the items made.
``ingest`` prints one line per file: ``new``, ``present`` (ingested before: skipped),
``skipped`` (with why) and a ``WARNING`` for a name whose extension does not fit the content;
a refusal (with what and why) exits non-zero with nothing changed; ``--dry-run`` prints the
plan and changes nothing. ``--incident N`` links every item to incident N (shown on each line;
the dry run says the link it would make)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from justicework.dataio.commands import _actor, _organisation
from justicework.evidence.actions import captures, ingests
from justicework.evidence.capture.fetch import FetchProblem
from justicework.evidence.capture.hosts import Refused
from justicework.evidence.intake.errors import IntakeError
from justicework.evidence.intake.sources import IngestRefused

VERBS = ("capture", "ingest")


def add_parsers(sub: Any) -> None:
    capture = sub.add_parser("capture", help="capture a web page into a WARC evidence item")
    capture.add_argument("url")
    ingest = sub.add_parser("ingest", help="ingest a folder or a ZIP on this server")
    ingest.add_argument("path", type=Path)
    ingest.add_argument("--dry-run", action="store_true", help="list what would happen")
    ingest.add_argument("--incident", type=int, metavar="N",
                        help="link every ingested item to incident N")  # fmt: skip
    for parser in (capture, ingest):
        parser.add_argument("--organisation", help="organisation short name (slug)")
        parser.add_argument("--as", dest="actor", required=True, help="e-mail of the actor")


def handle(command: BaseCommand, options: dict[str, Any]) -> None:
    actor = _actor(options["actor"])
    verb = options["verb"]
    action = "evidence.capture" if verb == "capture" else "evidence.upload"
    organisation = _organisation(options["organisation"], actor, action)
    try:
        if verb == "capture":
            capture = captures.create_capture(actor, organisation, options["url"])
            try:
                capture = captures.run_capture(capture)
            except (Refused, FetchProblem, IntakeError) as exc:
                captures.fail_capture(capture, exc.message)
                raise
            _captured(command, capture)
        else:
            _ingest(command, actor, organisation, options["path"], dry_run=options["dry_run"],
                    incident_id=options.get("incident"))  # fmt: skip
    except PermissionDenied as exc:
        raise CommandError(f"Not allowed: {exc}") from exc
    except ValidationError as exc:
        raise CommandError(" ".join(m for ms in exc.message_dict.values() for m in ms)) from exc
    except (Refused, FetchProblem, IntakeError, IngestRefused) as exc:
        raise CommandError(exc.message) from exc


def _captured(command: BaseCommand, capture: Any) -> None:
    command.stdout.write(
        f"captured {capture.url} -> {capture.final_url} (HTTP {capture.http_status}, "
        f"{capture.address}): item {capture.item_id} SHA-256 {capture.item.original.sha256}"
    )
    if capture.screenshot is not None:
        command.stdout.write(
            f"screenshot: item {capture.screenshot_id} SHA-256 {capture.screenshot.original.sha256}"
        )
    else:
        command.stdout.write(f"no screenshot: {capture.screenshot_reason}")


def _link(row: ingests.Planned, incident_id: int | None, *, dry_run: bool) -> str:
    if incident_id is None or row.status == "skipped":
        return ""
    if row.linked and not (dry_run and row.status == "new"):
        return f", linked to incident {incident_id}"
    return f", would link to incident {incident_id}" if dry_run else ""


def _line(row: ingests.Planned, incident_id: int | None = None, *, dry_run: bool = False) -> str:
    if row.status == "skipped":
        return f"skipped  {row.entry.path}: {row.reason}"
    item = f" item {row.item_id}" if row.item_id else ""
    facts = f"{row.size} bytes, {row.media_type}, SHA-256 {row.sha256}"
    link = _link(row, incident_id, dry_run=dry_run)
    return f"{row.status:<8} {row.entry.path} ({facts}){item}{link}"


def _ingest(command: BaseCommand, actor: Any, organisation: Any, path: Path, *,
            dry_run: bool, incident_id: int | None = None) -> None:  # fmt: skip
    if dry_run:
        plan = ingests.plan_ingest(actor, organisation, path, incident_id)
        for row in plan.rows:
            command.stdout.write(_line(row, incident_id, dry_run=True))
    else:
        plan = ingests.run_ingest(
            actor, organisation, path, incident_id=incident_id,
            on_item=lambda row: command.stdout.write(_line(row, incident_id)),
        )  # fmt: skip
        for row in plan.rows:
            if row.status != "new":
                command.stdout.write(_line(row, incident_id))
    for row in plan.rows:
        if row.warning:
            command.stdout.write(f"WARNING: {row.entry.path}: {row.warning}")
    done = "would be ingested" if dry_run else "ingested"
    linked = ""
    if plan.incident is not None:
        ref = f" ({plan.incident.external_ref})" if plan.incident.external_ref else ""
        verb = "would be linked" if dry_run else "linked"
        linked = f", every item {verb} to incident {plan.incident.pk}{ref}"
    command.stdout.write(
        f"{plan.count('new')} file(s) {done}, {plan.count('present')} already present, "
        f"{plan.count('skipped')} skipped{linked}"
        f"{' (dry run: nothing changed)' if dry_run else ''}."
    )
