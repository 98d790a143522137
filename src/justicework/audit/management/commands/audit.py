"""``justicework audit verify | checkpoint | lockdown``.

* ``verify [--checkpoint FILE]`` walks the keyed hash chain; exit 0 and the number of entries
  checked, or exit 1 naming the first bad entry and the problem. Exit 1 too when the triggers
  that refuse UPDATE and DELETE are missing or disabled, or the audit key is missing. With a
  checkpoint, also checks that the chain still holds the signed head it recorded (never creating
  a signing key: an instance without one fails).
* ``checkpoint [--out FILE]`` prints (or writes) the signed head of the chain, to keep outside
  the database.
* ``lockdown --role NAME`` (PostgreSQL) grants the application role SELECT and INSERT only on
  the audit table and ordinary access to the other tables.
"""

from __future__ import annotations

import json
import os
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from justicework.audit import checkpoint as checkpoints
from justicework.audit import triggers
from justicework.audit.lockdown import LockdownError, lockdown
from justicework.audit.verify import verify_chain
from justicework.keyfiles import AuditKeyMissing


class Command(BaseCommand):
    help = "Verify the audit hash chain, export a signed checkpoint, or lock down privileges."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser("verify", help="Walk the chain; exit 1 at the first bad entry.")
        verify.add_argument(
            "--checkpoint", type=Path, help="Also check a signed checkpoint made earlier."
        )
        export = sub.add_parser("checkpoint", help="Export the signed head of the chain.")
        export.add_argument("--out", type=Path, help="Write here instead of standard output.")
        lock = sub.add_parser(
            "lockdown", help="PostgreSQL: the app role may SELECT and INSERT audit rows only."
        )
        lock.add_argument("--role", required=True, help="The application's database role.")

    def handle(self, *args: Any, **options: Any) -> None:
        subcommand = options["subcommand"]
        if subcommand == "verify":
            self.verify(options.get("checkpoint"))
        elif subcommand == "checkpoint":
            self.checkpoint(options.get("out"))
        else:
            try:
                done = lockdown(options["role"])
            except LockdownError as exc:
                raise CommandError(str(exc)) from exc
            for statement in done:
                self.stdout.write(statement)
            self.stdout.write(
                self.style.SUCCESS(f"Role {options['role']} may SELECT and INSERT audit entries.")
            )

    def fail(self, message: str) -> None:
        # SystemExit rather than CommandError: call_command re-raises CommandError, but the exit
        # code is what scripts and monitoring look at.
        self.stderr.write(self.style.ERROR(message))
        raise SystemExit(1)

    def verify(self, checkpoint_path: Path | None) -> None:
        try:
            result = verify_chain()
        except AuditKeyMissing as exc:
            self.fail(f"Cannot verify the audit chain: {exc}")
            return
        if not result.ok:
            self.fail(
                f"Audit chain broken at entry #{result.first_bad_seq}: {result.problem} "
                f"({result.checked} entries before it are intact)."
            )
        keyed = ""
        if result.keyed_from is not None and result.keyed_from > 1:
            keyed = (
                f" Entries #1-#{result.keyed_from - 1} predate the audit key (plain SHA-256); "
                f"they are sealed by keyed entry #{result.keyed_from}."
            )
        self.stdout.write(f"Audit chain intact: {result.checked} entries checked.{keyed}")
        if not triggers.installed(connection):
            self.fail(
                "The triggers that refuse UPDATE and DELETE on audit entries are missing or "
                "disabled (someone with owner rights removed them): entries may have been "
                "changed in place since. Re-create them with "
                "`justicework migrate audit 0001 && justicework migrate audit`, then verify "
                "against your newest checkpoint."
            )
        if checkpoint_path is None:
            return
        try:
            data = checkpoints.parse(checkpoint_path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise CommandError(f"Cannot read {checkpoint_path}: {exc.strerror}.") from exc
        except checkpoints.CheckpointError as exc:
            self.fail(f"Checkpoint {checkpoint_path}: {exc}")
            return
        outcome = checkpoints.check(data)
        if not outcome.ok:
            self.fail(
                f"Checkpoint {checkpoint_path} failed at entry #{outcome.seq}: {outcome.problem}"
            )
        self.stdout.write(f"Checkpoint at entry #{outcome.seq} is signed and still in the chain.")

    def checkpoint(self, out: Path | None) -> None:
        text = json.dumps(checkpoints.make_checkpoint(), indent=2, sort_keys=True) + "\n"
        if out is None:
            self.stdout.write(text, ending="")
            return
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.fchmod(fd, 0o644)  # a public record: readable whatever the umask (ours is 077)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        self.stdout.write(f"Checkpoint written to {out}; keep a copy outside this server.")
