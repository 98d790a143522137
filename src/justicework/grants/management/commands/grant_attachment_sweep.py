"""``justicework grant_attachment_sweep``: remove the stored files of attachments that were
removed or whose application was deleted (once no attachment holds them and they have not been
used for six hours). Run it daily."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from justicework.grants.actions_application_files import remove_unused_files


class Command(BaseCommand):
    help = "Remove the stored files that no grant application's attachment holds any more."

    def handle(self, *args: Any, **options: Any) -> None:
        removed = remove_unused_files()
        self.stdout.write(f"{removed} stored file(s) removed.")
