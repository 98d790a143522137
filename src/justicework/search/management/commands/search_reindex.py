"""``justicework search_reindex [app_label.model ...] [--background]``."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser

from justicework import search
from justicework.core.uses import runs_as


class Command(BaseCommand):
    help = "Rebuild the full-text index of registered models (all of them by default)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("models", nargs="*", help="app_label.model, e.g. core.organisation")
        parser.add_argument(
            "--background",
            action="store_true",
            help="Queue the rebuild of every model for the task worker, with a progress page.",
        )

    @runs_as("none")
    def handle(self, *args: Any, **options: Any) -> None:
        if options["background"]:
            from justicework.search.jobs import reindex_all
            from justicework.tasks.actions import enqueue_with_progress, start_progress

            progress = start_progress(None, kind="search.reindex", title="Rebuild search index")
            enqueue_with_progress(progress, reindex_all)
            self.stdout.write(f"Queued: progress at /tasks/{progress.pk}/")
            return
        indexed = list(search.registered_models())
        models = []
        for label in options["models"] or []:
            try:
                model = apps.get_model(label)
            except (LookupError, ValueError) as exc:
                raise CommandError(f"{label!r} is not a model (use app_label.model)") from exc
            if model not in indexed:
                names = ", ".join(sorted(m._meta.label_lower for m in indexed))
                raise CommandError(f"{label!r} is not indexed for search (indexed: {names}).")
            models.append(model)
        for model in models or indexed:
            count = search.reindex(model)
            self.stdout.write(f"{model._meta.label_lower}: {count} indexed")
