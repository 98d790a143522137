"""Background jobs of the grants app (django-tasks): the reminders of due reports, enqueued by
``justicework grant_report_reminders`` (from cron or a systemd timer, e.g. daily)."""

from __future__ import annotations

from django_tasks import task

from justicework.core.uses import runs_as
from justicework.grants import reminders


@task()
@runs_as("none")  # ids, dates and members' addresses only: no person data of the documentation
def send_report_reminders() -> int:
    return reminders.send_reminders()
