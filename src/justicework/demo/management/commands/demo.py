"""``justicework demo [--seed N]``: build the fictional demo coalition (idempotent)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from justicework import demo
from justicework.core.uses import runs_as
from justicework.demo import coalition


class Command(BaseCommand):
    help = (
        "Create a fictional coalition with a user for every role (Faker names, never a real "
        "person). Passwords and TOTP secrets are printed once. A second run changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1, help="Faker seed (default 1).")
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even with JUSTICEWORK_PRODUCTION on (not recommended).",
        )
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            metavar="N",
            help="Also generate N violations quickly, for benchmarks (demo.violations_scale).",
        )

    @runs_as("demo.data")
    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION and not options["allow_production"]:
            raise CommandError(
                "JUSTICEWORK_PRODUCTION is on: the demo would add fictional organisations and "
                "users to a real installation. Use --allow-production if you really mean it."
            )
        ctx = coalition.make_context(options["seed"])
        ctx.write = self.stdout.write
        if coalition.exists():
            coalition.load(ctx)
            self.stdout.write(
                "The demo coalition already exists; it was not changed. Passwords were shown "
                "when it was created (reset one with `justicework changepassword EMAIL`)."
            )
        else:
            credentials = coalition.build(ctx)
            self._print(credentials, options["seed"])
        for step in demo.steps():
            with transaction.atomic():
                step(ctx)
        if options["scale"]:
            from justicework.demo import violations_scale as scale

            scale.run(ctx, options["scale"])

    def _print(self, credentials: list[coalition.Credential], seed: int) -> None:
        w = self.stdout.write
        w(self.style.SUCCESS(f"Demo coalition created (seed {seed}): fictional, Faker names."))
        w("")
        w("Sign-in details are shown ONCE. Copy them now. Roles marked MFA need the TOTP")
        w("secret: add it to an authenticator app (or open the otpauth:// URL), then enter")
        w("the 6-digit code after the password.")
        w("")
        for c in credentials:
            w(f"  {c.email}")
            w(f"    role: {c.role} — {c.organisation}")
            w(f"    password: {c.password}")
            if c.totp_secret:
                w(f"    MFA TOTP secret (base32): {c.totp_secret}")
                w(f"    {c.totp_url}")
        w("")
