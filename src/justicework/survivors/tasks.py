"""Background jobs of the survivors app (django-tasks): retention schedules applied, and the
support reminders (``reminders``: referral follow-ups, plan actions, safety reviews), enqueued
by ``justicework survivor_reminders`` (from cron or a systemd timer, e.g. daily)."""

from __future__ import annotations

from django_tasks import task

from justicework.core.models import Organisation
from justicework.core.uses import runs_as
from justicework.survivors import reminders
from justicework.survivors.actions.retention import apply_retention


@task()
@runs_as("survivors.retention")
def apply_retention_schedules() -> dict[str, int]:
    """Every organisation's schedules, applied by the platform (audited with no actor); run
    it daily from the worker's scheduler or cron (``justicework survivors retention apply``)."""
    totals = {"done": 0, "held": 0, "failed": 0}
    for organisation in Organisation.objects.filter(is_active=True).order_by("pk"):
        report = apply_retention(None, organisation)
        totals["done"] += len(report.done)
        totals["held"] += len(report.held)
        totals["failed"] += len(report.failed)
    return totals


@task()
@runs_as("none")  # ids, dates and staff only: no survivor data is read or sent
def send_support_reminders() -> int:
    return reminders.send_reminders()
