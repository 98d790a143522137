"""Background import work (django-tasks) with a progress bar (``justicework.tasks``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django_tasks import task

from justicework.core.models import User
from justicework.core.uses import runs_as
from justicework.dataio import runs
from justicework.dataio.models import ImportRun
from justicework.tasks.actions import Tracker, tracking


def _progress_sink(tracker: Tracker) -> Any:
    state = {"phase": ""}

    def on_progress(phase: str, done: int, total: int) -> None:
        if phase != state["phase"]:
            state["phase"] = phase
            tracker.done = 0
            tracker.set_total(total or None)
        tracker.advance(done - tracker.done)

    return on_progress


@task()
@runs_as("dataio.import")
def run_import(progress_id: int, run_id: int, actor_id: int, phase: str) -> None:
    """``phase`` is "check" (dry run) or "commit". The actor's rights are checked again here.
    A worker that starts an import first marks failed the runs whose process has ended (killed
    during a commit: resumable), so no run stays "committing" once any worker looks."""
    runs.fail_stale_runs()
    actor = User.objects.get(pk=actor_id)
    run = ImportRun.objects.select_related("organisation", "mapping").get(pk=run_id)
    with tracking(progress_id) as tracker:
        sink = _progress_sink(tracker)
        if phase == "check":
            run = runs.dry_run(actor, run, on_progress=sink)
        else:
            run = runs.commit_run(actor, run, on_progress=sink)
        tracker.finish(
            result={"rows": run.total_rows, "errors": run.error_count, "created": run.created_rows},
            message=_("%(status)s: %(rows)s rows, %(errors)s errors, %(created)s created.")
            % {
                "status": run.get_status_display(),
                "rows": run.total_rows,
                "errors": run.error_count,
                "created": run.created_rows,
            },
        )
