"""``justicework keys check | status | rotate``.

* ``check`` unwraps every data key with ``JUSTICEWORK_MASTER_KEY``; exit 1 with a clear message
  when it is the wrong key (``make run`` calls it before serving). It also warns about every
  file or directory of the data directory that group or others may read, write or enter.
* ``status`` shows the master key id, the data keys per scope, values left on retired keys and
  second-factor secrets still in clear.
* ``rotate --master`` re-wraps every data key under the current master key (the previous one in
  ``JUSTICEWORK_OLD_MASTER_KEYS``); ``rotate --data-keys`` gives every organisation a new data
  key and re-encrypts all encrypted values in batches while the application keeps serving.
  Both are resumable: run again after an interruption.
"""

from __future__ import annotations

from argparse import ArgumentParser
from collections import Counter
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from justicework.encryption import filemodes, keyring, mfa, rotation
from justicework.encryption.models import DataKey
from justicework.encryption.startup import check_master_key


class Command(BaseCommand):
    help = "Check the master key, show key status, rotate master or data keys."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("check", help="Unwrap every data key; exit 1 if the master key is wrong.")
        sub.add_parser("status", help="Master key id, data keys, values on retired keys.")
        rotate = sub.add_parser("rotate", help="Re-wrap data keys and/or re-encrypt values.")
        rotate.add_argument(
            "--master",
            action="store_true",
            help="Re-wrap every data key under JUSTICEWORK_MASTER_KEY (old key in "
            "JUSTICEWORK_OLD_MASTER_KEYS).",
        )
        rotate.add_argument(
            "--data-keys",
            action="store_true",
            help="New data key per organisation; re-encrypt every encrypted value.",
        )
        rotate.add_argument("--batch-size", type=int, default=500, help="Rows per transaction.")
        rotate.add_argument(
            "--no-wait",
            action="store_true",
            help="Skip the final pass after running processes' key caches expire "
            f"({keyring.ACTIVE_KEY_TTL_SECONDS:.0f}s); only when nothing else is writing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        subcommand = options["subcommand"]
        if subcommand == "check":
            self.check_keys()
        elif subcommand == "status":
            self.status()
        else:
            self.rotate(options)

    def check_keys(self) -> None:
        self.check_file_modes()
        try:
            result = check_master_key()
        except keyring.MasterKeyMismatch as exc:
            self.stderr.write(self.style.ERROR(str(exc)))
            raise SystemExit(1) from exc
        key_id = keyring.master_key_id(settings.MASTER_KEY)
        if result.table_missing:
            self.stdout.write("No key table yet (run `justicework migrate`): nothing to check.")
            return
        self.stdout.write(
            f"{result.checked} data keys unwrap with {keyring.MASTER_KEY_VARIABLE} (id {key_id})."
        )
        if result.on_old_master:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(result.on_old_master)} data keys are still wrapped by an old master "
                    "key: run `justicework keys rotate --master`."
                )
            )

    def check_file_modes(self) -> None:
        exposures = filemodes.exposed_paths()
        if exposures:
            for line in filemodes.advice(exposures):
                self.stderr.write(self.style.WARNING(line))
        else:
            self.stdout.write(f"{settings.DATA_DIR}: readable by its owner only.")

    def status(self) -> None:
        current = keyring.master_key_id(settings.MASTER_KEY)
        self.stdout.write(f"master key id: {current}")
        wrapped_by = Counter(DataKey.objects.values_list("master_key_id", flat=True))
        for master, count in sorted(wrapped_by.items()):
            note = "current" if master == current else "OLD: run keys rotate --master"
            self.stdout.write(f"  {count} data keys wrapped by {master} ({note})")
        scopes: dict[str, list[DataKey]] = {}
        for data_key in DataKey.objects.order_by("id"):
            scopes.setdefault(data_key.scope, []).append(data_key)
        for scope, keys in scopes.items():
            active = [k.pk for k in keys if k.retired_at is None]
            self.stdout.write(
                f"scope {scope}: active key {active[-1] if active else '-'}, "
                f"{len(keys) - len(active)} retired"
            )
        stale = rotation.reencrypt_pass(fix=False).stale
        if stale:
            for scope, count in sorted(stale.items()):
                self.stdout.write(
                    self.style.WARNING(
                        f"{scope}: {count} values on a retired key "
                        "(run keys rotate --data-keys to finish)"
                    )
                )
        else:
            self.stdout.write("every encrypted value is on its organisation's newest key")
        in_clear = mfa.plaintext_count()
        if in_clear:
            self.stdout.write(
                self.style.WARNING(
                    f"{in_clear} second-factor secrets are stored in clear "
                    "(run `justicework migrate`: core 0003 seals them)"
                )
            )

    def rotate(self, options: dict[str, Any]) -> None:
        if not (options["master"] or options["data_keys"]):
            raise CommandError("Say what to rotate: --master, --data-keys, or both.")
        batch_size = options["batch_size"]
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        try:
            if options["master"]:
                count = rotation.rewrap_master(batch_size, log=self.stdout.write)
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{count} data keys re-wrapped under {keyring.MASTER_KEY_VARIABLE}."
                    )
                )
            if options["data_keys"]:
                result = rotation.rotate_data_keys(
                    batch_size, wait=not options["no_wait"], log=self.stdout.write
                )
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{len(result.new_keys)} new data keys, {len(result.continued)} "
                        f"rotations continued; {result.reencrypted} rows re-encrypted in "
                        f"{result.batches} batches."
                    )
                )
        except keyring.MasterKeyMismatch as exc:
            self.stderr.write(self.style.ERROR(str(exc)))
            raise SystemExit(1) from exc
