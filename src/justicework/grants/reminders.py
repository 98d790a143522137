"""Reminders of due reports: an e-mail to the grantee's members when a report is due within
``GRANTS_REPORT_REMINDER_DAYS`` days or late and not yet submitted (due, or returned for
changes). One reminder per (report, due date): the task may run as often as it likes
(``ReportReminder``'s unique constraint) and a moved date reminds again.

The e-mail says only that a report is due, when, and where to write it (a link whose page asks
the policy as usual): no amounts, no reviewer's comments, nothing of the report.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from justicework.audit.chain import record
from justicework.core.models import Membership, User
from justicework.core.roles import Capability, roles_with
from justicework.grants.models import GranteeReport, ReportReminder

log = logging.getLogger(__name__)
OPEN = (GranteeReport.Status.DUE, GranteeReport.Status.RETURNED)


@dataclass(frozen=True)
class Due:
    report_id: int
    due_on: dt.date
    #: the grantee's organisation (whose members are reminded)
    organisation_id: int
    #: the programme's organisation (the audit entry's)
    programme_organisation_id: int


def due(today: dt.date | None = None) -> list[Due]:
    """Reports due within the reminder window or late, open, not yet reminded for their date.
    One query; ids and dates only."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=settings.GRANTS_REPORT_REMINDER_DAYS)
    sent = ReportReminder.objects.filter(report=OuterRef("pk"), due_on=OuterRef("due_on"))
    rows = (
        GranteeReport.objects.filter(status__in=OPEN, due_on__lte=horizon)
        .exclude(Exists(sent))
        .values_list(
            "pk", "due_on", "award__legal_entity__organisation_id", "award__call__organisation_id"
        )
        .order_by("due_on", "pk")
    )
    return [Due(*row) for row in rows]


def recipients(organisation_id: int) -> list[User]:
    """The grantee's active members who may write reports (``grant.apply``)."""
    return list(
        User.objects.filter(
            is_active=True,
            pk__in=Membership.objects.filter(
                organisation_id=organisation_id,
                role__in=roles_with(Capability.GRANT_APPLY),
            ).values("user_id"),
        ).order_by("pk")
    )


def message(item: Due, language: str) -> tuple[str, str]:
    link = settings.GRANTS_REMINDER_BASE_URL.rstrip("/") + reverse(
        "grants:report_write", args=[item.report_id]
    )
    with translation.override(language):
        subject = _("JusticeWork: a report is due")
        body = _(
            "A report on your grant is due on %(date)s.\n\nWrite and submit it here (sign-in "
            "needed): %(link)s\n"
        ) % {"date": item.due_on.isoformat(), "link": link}
    return subject, body


def _record(item: Due, users: list[User]) -> bool:
    """Record the reminder once; False if another run recorded it first."""
    try:
        with transaction.atomic():
            reminder = ReportReminder.objects.create(
                report_id=item.report_id, due_on=item.due_on, recipients=len(users)
            )
            record(
                None, "grants.report.reminded", reminder,
                organisation_id=item.programme_organisation_id,
                diff={"report": item.report_id, "due_on": item.due_on.isoformat(),
                      "recipients": sorted(user.pk for user in users)},
            )  # fmt: skip
    except IntegrityError:
        return False
    return True


def send_reminders(today: dt.date | None = None) -> int:
    """Send every due reminder, one e-mail per member in their language; the number of reports
    reminded. A report whose grantee has no member left is recorded too (nobody to tell)."""
    sent = 0
    for item in due(today):
        users = recipients(item.organisation_id)
        if not _record(item, users):
            continue
        sent += 1
        for user in users:
            subject, body = message(item, user.preferred_language or settings.LANGUAGE_CODE)
            try:
                send_mail(subject, body, None, [user.email])
            except OSError:  # the mail server: the reminder is recorded; log it without data
                log.warning("Report reminder %s could not be mailed.", item.report_id)
    return sent
