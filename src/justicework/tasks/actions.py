"""Progress of background work: start a record, advance it cheaply, finish or fail it.

Typical use (the importer, ``search.jobs``)::

    progress = start_progress(actor, kind="violations.import", title=_("Import …"),
                              total=n_rows, organisation=org)
    enqueue_with_progress(progress, import_rows_task, upload_id)   # in the action

    @task()
    def import_rows_task(progress_id: int, upload_id: int) -> None:
        with tracking(progress_id) as tracker:
            for batch in batches:
                with transaction.atomic():
                    ...                       # write one batch
                tracker.advance(len(batch))   # cheap: writes at most every N items / 0.5 s
            tracker.finish(result={"rows": n})

Progress is written with ``UPDATE`` statements on the default connection: call ``advance``
*between* committed batches — a page cannot see progress made inside an open transaction.
``message`` and ``result`` are shown to people: never put identity plaintext in them.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from justicework.audit.chain import record
from justicework.core import policy
from justicework.core.models import Organisation, User
from justicework.tasks.models import Progress

#: Minimum seconds between two progress writes triggered by time alone.
WRITE_INTERVAL = 0.5


@transaction.atomic
def start_progress(
    actor: User | None,
    *,
    kind: str,
    title: str | Promise,
    total: int | None = None,
    organisation: Organisation | None = None,
) -> Progress:
    """Create a queued progress record owned by ``actor`` (``None``: the system).

    The caller's own action has checked that ``actor`` may start the work; here we only
    refuse to attach it to an organisation the actor is not a member of.
    """
    if actor is not None and organisation is not None:
        policy.require(actor, "track_work", organisation)
    if total is not None and total < 0:
        raise ValueError("total must be zero or more")
    progress = Progress.objects.create(
        owner=actor,
        organisation=organisation,
        kind=kind[:60],
        title=str(title)[:200],
        total=total,
    )
    record(
        actor,
        "jw_tasks.progress.started",
        progress,
        organisation_id=organisation.pk if organisation else None,
        diff={"kind": progress.kind, "total": total},
    )
    return progress


def enqueue_with_progress(progress: Progress, task: Any, *args: Any, **kwargs: Any) -> Progress:
    """Enqueue ``task(progress.pk, *args, **kwargs)`` and remember its task-result id.

    With the database backend the task row is written in the caller's transaction, so the
    job exists exactly when the action that asked for it commits."""
    result = task.enqueue(progress.pk, *args, **kwargs)
    Progress.objects.filter(pk=progress.pk).update(task_result_id=str(result.id)[:64])
    progress.task_result_id = str(result.id)[:64]
    progress.refresh_from_db(fields=["status", "done", "total", "message", "finished_at"])
    return progress


class Tracker:
    """Advances one progress record with few writes (see module docstring)."""

    def __init__(self, progress_id: int, every: int | None = None) -> None:
        row = Progress.objects.values("done", "total").get(pk=progress_id)
        self.progress_id = progress_id
        self.done: int = row["done"]
        self.total: int | None = row["total"]
        self._every = every
        self._written = self.done
        self._last_write = time.monotonic()
        self.writes = 0

    @property
    def every(self) -> int:
        if self._every is not None:
            return max(1, self._every)
        return max(1, (self.total or 0) // 100) if self.total else 100

    def _update(self, **fields: Any) -> None:
        # A finished record stays finished: a late advance must not make it "running" again.
        Progress.objects.filter(pk=self.progress_id).exclude(
            status__in=[Progress.Status.SUCCEEDED, Progress.Status.FAILED]
        ).update(updated_at=timezone.now(), **fields)
        self._written = self.done
        self._last_write = time.monotonic()
        self.writes += 1

    def start(self) -> None:
        self._update(status=Progress.Status.RUNNING)

    def set_total(self, total: int | None) -> None:
        self.total = total
        self._update(total=total, done=self.done)

    def advance(self, n: int = 1) -> None:
        """Count ``n`` more items done; writes only every ``every`` items or 0.5 s."""
        self.done += n
        if (
            self.done - self._written >= self.every
            or time.monotonic() - self._last_write >= WRITE_INTERVAL
        ):
            self.flush()

    def flush(self) -> None:
        self._update(done=self.done, status=Progress.Status.RUNNING)

    def finish(self, result: dict[str, Any] | None = None, message: str | Promise = "") -> None:
        self._close(Progress.Status.SUCCEEDED, result or {}, str(message))

    def fail(self, message: str | Promise) -> None:
        self._close(Progress.Status.FAILED, None, str(message))

    def _close(self, status: str, result: dict[str, Any] | None, message: str) -> None:
        with transaction.atomic():
            progress = Progress.objects.select_for_update().get(pk=self.progress_id)
            if progress.is_finished:
                return
            fields: dict[str, Any] = {
                "status": status,
                "done": self.done,
                "message": message[:500],
                "finished_at": timezone.now(),
            }
            if status == Progress.Status.SUCCEEDED and self.total is None:
                fields["total"] = self.done
            if result is not None:
                fields["result"] = result
            self._update(**fields)
            record(
                None,
                f"jw_tasks.progress.{status}",
                progress,
                organisation_id=progress.organisation_id,
                diff={"kind": progress.kind, "done": self.done},
            )


@contextmanager
def tracking(progress_id: int, every: int | None = None) -> Iterator[Tracker]:
    """Run work under a progress record: running on entry; finished on normal exit (unless the
    body finished it); failed — with a generic message, never the exception text, which may
    quote data — if the body raises. The exception propagates."""
    tracker = Tracker(progress_id, every=every)
    tracker.start()
    try:
        yield tracker
    except BaseException as exc:
        tracker.fail(
            _("The work stopped because of an error (%(kind)s).") % {"kind": type(exc).__name__}
        )
        raise
    tracker.finish()
