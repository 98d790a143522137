"""``justicework evidence extract [--item N] [--again]``, ``justicework evidence fsck [--repair]``
(``evidence.fsck``), ``justicework evidence expire-packages`` (``actions.package_expiry``),
``justicework evidence removal list|request|approve|reject`` (``evidence.removal_command``),
``justicework evidence capture|ingest`` (``management.intake_verbs``), ``justicework evidence
derive`` (``derivatives.command``), ``justicework evidence package --out FILE.zip (--items
ID,ID | --all | --incident N) --organisation SLUG --as EMAIL`` and ``justicework evidence
verify FILE.zip [--key PEM] [--tsa-cert PEM]``.

``verify`` runs the very checks of the ``verify.py`` shipped in each package (same verdicts),
and with ``--tsa-cert`` also verifies the timestamp token's signature up to that root.
``capture`` and ``ingest``: ``evidence.management.intake_verbs``.
``extract`` reads the metadata and perceptual hashes of every original that has none yet
(``--again``: of every original), or of the original of item N (``--item N``, read again): one
line per original with its findings' codes; exit 0 (findings are not errors), 1 when item N does
not exist."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from justicework.core.uses import runs_as
from justicework.dataio.commands import _actor, _organisation
from justicework.evidence import fsck, removal_command
from justicework.evidence.actions import packages as actions
from justicework.evidence.actions.package_expiry import expire_packages
from justicework.evidence.actions.provenance import extract_provenance
from justicework.evidence.actions.searches import find_search
from justicework.evidence.derivatives.command import derive
from justicework.evidence.management import intake_verbs
from justicework.evidence.models import Item, Original
from justicework.evidence.packages import timestamp
from justicework.evidence.packages import verify as verifier
from justicework.evidence.packages.signing import SigningKeyProblem


def _ids(text: str) -> list[int]:
    try:
        ids = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise CommandError(f"--items takes numbers separated by commas; got {text!r}.") from None
    if not ids:
        raise CommandError("--items names no item.")
    return ids


class Command(BaseCommand):
    help = (
        "Evidence vault: read provenance of stored originals, export items as a signed package, "
        "or verify a package."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        extract = sub.add_parser("extract", help="read metadata and perceptual hashes")
        extract.add_argument("--item", type=int, help="only the original of this item (again)")
        extract.add_argument("--again", action="store_true", help="every original, again")
        derive = sub.add_parser("derive", help="make thumbnails, previews, stripped copies")
        derive.add_argument("--item", type=int, help="only the original of this item (again)")
        derive.add_argument("--again", action="store_true", help="every original, again")
        package = sub.add_parser("package", help="write a signed package of evidence items")
        package.add_argument("--out", type=Path, required=True, help="the ZIP file to write")
        chosen = package.add_mutually_exclusive_group(required=True)
        chosen.add_argument("--items", help="item numbers, separated by commas")
        chosen.add_argument("--all", action="store_true", help="every item of the organisation")
        chosen.add_argument("--incident", type=int, help="every item linked to this incident")
        chosen.add_argument("--search", help="every item your saved search of this name finds now")
        package.add_argument("--organisation", help="organisation short name (slug)")
        package.add_argument("--as", dest="actor", required=True, help="e-mail of the actor")
        check = sub.add_parser("verify", help="verify a package; exit status 1 if anything fails")
        check.add_argument("package", type=Path)
        check.add_argument("--key", type=Path, help="the instance's public key (PEM) you trust")
        check.add_argument("--tsa-cert", type=Path, help="the timestamp authority's root (PEM)")
        checkup = sub.add_parser("fsck", help="re-hash originals, find orphans, check chains")
        checkup.add_argument("--repair", action="store_true", help="finish interrupted removals")
        sub.add_parser("expire-packages", help="delete web packages' ZIPs past their time")
        removal_command.add_parser(sub)
        intake_verbs.add_parsers(sub)  # capture, ingest

    @runs_as("evidence.records")
    def handle(self, *args: Any, **options: Any) -> None:
        if options["verb"] in intake_verbs.VERBS:
            intake_verbs.handle(self, options)
        elif options["verb"] == "extract":
            self._extract(options.get("item"), again=options["again"])
        elif options["verb"] == "derive":  # logic in evidence/derivatives/command.py
            derive(self.stdout.write, options.get("item"), again=options["again"])
        elif options["verb"] == "package":
            self._package(options)
        elif options["verb"] == "removal":
            removal_command.run(options, self.stdout.write)
        elif options["verb"] == "expire-packages":
            self.stdout.write(f"{expire_packages()} package(s) expired.")
        elif options["verb"] == "fsck":
            if code := fsck.main(self.stdout.write, repair=options["repair"]):
                raise SystemExit(code)
        else:
            self._verify(options)

    def _extract(self, item_id: int | None, *, again: bool) -> None:
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

    @runs_as("evidence.package")
    def _package(self, options: dict[str, Any]) -> None:
        actor = _actor(options["actor"])
        organisation = _organisation(options["organisation"], actor, "evidence.package")
        out: Path = options["out"]
        if out.exists() or not out.parent.is_dir():
            raise CommandError(f"{out} exists already, or its directory does not exist.")
        ids = _ids(options["items"]) if options["items"] is not None else None
        try:
            selection = None
            if options["search"] is not None:
                search = find_search(actor, organisation, options["search"])
                selection = actions.search_selection(actor, search)
            items = actions.select_items(
                actor, organisation, ids, incident_id=options["incident"], selection=selection
            )
            done = actions.package_items(actor, organisation, items, out, selection=selection)
        except PermissionDenied as exc:
            raise CommandError(f"Not allowed: {exc}") from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        except (SigningKeyProblem, timestamp.TimestampProblem, OSError) as exc:
            raise CommandError(f"The package was not written: {exc}") from exc
        self.stdout.write(
            f"wrote {out}: {done.items} item(s), package {done.package_id}, manifest SHA-256 "
            f"{done.manifest_sha256}{', timestamped' if done.timestamped else ''}"
        )

    def _verify(self, options: dict[str, Any]) -> None:
        path: Path = options["package"]
        try:
            trusted = options["key"].read_bytes() if options["key"] else None
            if trusted is not None:
                verifier.load_public_key(trusted)
            report = verifier.verify(str(path), trusted)
            if options["tsa_cert"]:
                self._check_token(path, options["tsa_cert"].read_bytes(), report)
        except (OSError, zipfile.BadZipFile, ValueError) as exc:
            raise CommandError(f"cannot verify {path}: {exc}") from exc
        for note in report.notes:
            self.stdout.write(f"ok: {note}")
        for problem in report.problems:
            self.stdout.write(f"PROBLEM: {problem}")
        summary = f"{report.files_checked} file(s), {report.bytes_checked} bytes checked"
        if report.ok:
            self.stdout.write(f"VALID: {summary}")
            return
        self.stdout.write(f"INVALID ({len(report.problems)} problem(s)): {summary}")
        raise SystemExit(1)

    @staticmethod
    def _check_token(path: Path, root_pem: bytes, report: verifier.Report) -> None:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if verifier.TIMESTAMP not in names or verifier.MANIFEST not in names:
                report.problems.append(f"{verifier.TIMESTAMP}: missing (--tsa-cert was given)")
                return
            token, manifest = archive.read(verifier.TIMESTAMP), archive.read(verifier.MANIFEST)
        problem = timestamp.check(token, manifest, root_pem)
        if problem:
            report.problems.append(
                f"{verifier.TIMESTAMP}: does not verify with the authority's certificate "
                f"({problem})"
            )
        else:
            report.notes.append(f"{verifier.TIMESTAMP}: signed by the authority (--tsa-cert)")
