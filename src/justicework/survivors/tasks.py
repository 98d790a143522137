"""Background work of the survivors app: the support reminders (``reminders``), enqueued by
``justicework survivor_reminders`` (from cron or a systemd timer, e.g. daily)."""

from __future__ import annotations

from django_tasks import task

from justicework.core.uses import runs_as
from justicework.survivors import reminders


@task()
@runs_as("none")  # ids, dates and staff only: no survivor data is read or sent
def send_support_reminders() -> int:
    return reminders.send_reminders()
