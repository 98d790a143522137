"""Reminders of overdue support work: a referral whose follow-up date has passed while it is
still open, an agreed support-plan action past its date and not done, and a safety assessment
whose review date has come (the current assessment of a file: a review records a new one,
which moves the date and stops the reminders).

A reminder goes by e-mail to the responsible member of staff (the referral's responsible, the
action's owner, the safety assessor — or, when the assessor may no longer record safety in the
file's organisation, the staff member who opened the file, if they may) and carries no survivor
data: a neutral sentence and a link to the record, whose page asks the policy as usual. One
reminder per (record, due date): the task may run as often as it likes (``Reminder``'s unique
constraint), and a new date reminds again.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from justicework.audit.chain import record
from justicework.core import policy
from justicework.core.models import User
from justicework.core.uses import Scope
from justicework.survivors import gate
from justicework.survivors.actions.referrals import OPEN
from justicework.survivors.models import (
    Referral,
    Reminder,
    SafetyAssessment,
    SupportAction,
    SurvivorFile,
)

log = logging.getLogger(__name__)
K = Reminder.Kind


@dataclass(frozen=True)
class Due:
    kind: str
    object_id: int
    due_on: dt.date
    organisation_id: int
    recipient_id: int

    def path(self) -> str:
        if self.kind == K.REFERRAL:
            return reverse("survivors:referral_detail", args=[self.object_id])
        if self.kind == K.SAFETY:
            return reverse("survivors:safety_review", args=[self.object_id])
        return reverse("survivors:plan_action", args=[self.object_id])


def _not_sent(kind: str, date_field: str) -> Exists:
    return Exists(
        Reminder.objects.filter(kind=kind, object_id=OuterRef("pk"), due_on=OuterRef(date_field))
    )


def due(today: dt.date | None = None) -> list[Due]:
    """What is overdue on ``today`` (default: the local date) and not yet reminded. Two
    queries; reads ids, dates and the responsible staff only."""
    today = today or timezone.localdate()
    referrals = (
        Referral.objects.filter(follow_up_on__lt=today, status__in=sorted(OPEN))
        .exclude(_not_sent(K.REFERRAL, "follow_up_on"))
        .values_list("pk", "follow_up_on", "organisation_id", "responsible_id")
        .order_by("pk")
    )
    plan_actions = (
        SupportAction.objects.filter(due_on__lt=today, done_at__isnull=True)
        .exclude(_not_sent(K.ACTION, "due_on"))
        .values_list("pk", "due_on", "organisation_id", "owner_id")
        .order_by("pk")
    )
    found = [(K.REFERRAL, row) for row in referrals] + [(K.ACTION, row) for row in plan_actions]
    return [Due(kind, pk, day, org, user) for kind, (pk, day, org, user) in found if day] + (
        safety_reviews_due(today)
    )


def safety_reviews_due(today: dt.date) -> list[Due]:
    """Current safety assessments whose review date is ``today`` or past, not yet reminded,
    of survivors whose documentation consent is current (withdrawn, nobody may open the
    assessment: the organisation no longer works with their information). Two queries."""
    later = SafetyAssessment.objects.filter(file=OuterRef("file"), pk__gt=OuterRef("pk"))
    rows = list(
        SafetyAssessment.objects.filter(review_on__lte=today)
        .exclude(Exists(later))
        .exclude(_not_sent(K.SAFETY, "review_on"))
        .filter(gate.allowed_q("file__person", Scope.DOCUMENTATION, ""))
        .values_list("pk", "review_on", "organisation_id", "recorded_by_id", "file__opened_by_id")
        .order_by("pk")
    )
    users = User.objects.in_bulk({uid for row in rows for uid in row[3:]})
    found = []
    for pk, day, org, assessor, opener in rows:
        recipient = _responsible(org, [users.get(assessor), users.get(opener)])
        if recipient is not None:
            found.append(Due(K.SAFETY, pk, day, org, recipient.pk))
        else:  # the review stays due (and the person page's safety warning says it is overdue)
            log.warning("Safety review %s: no responsible staff to remind.", pk)
    return found


def _responsible(organisation_id: int, candidates: list[User | None]) -> User | None:
    """The first candidate who may still record safety in the organisation (the policy's
    ``record_safety``: a colleague who left, or moved to another organisation, is passed)."""
    in_org = SurvivorFile(organisation_id=organisation_id)
    for user in candidates:
        if user is not None and user.is_active and policy.can(user, "record_safety", in_org):
            return user
    return None


def message(item: Due, language: str) -> tuple[str, str]:
    """Subject and body: neutral words and the link, nothing about the survivor."""
    link = f"{settings.SURVIVORS_REMINDER_BASE_URL.rstrip('/')}{item.path()}"
    if item.kind == K.SAFETY:  # a neutral word: the e-mail does not say whose safety, or that
        with translation.override(language):
            subject = _("JusticeWork: a review is due")
            body = _(
                "A review you are responsible for is due.\n\nOpen it here (sign-in needed): "
                "%(link)s\n"
            ) % {"link": link}
        return subject, body
    with translation.override(language):
        subject = _("JusticeWork: a follow-up is due")
        body = _(
            "A follow-up you are responsible for is past its date.\n\nOpen it here (sign-in "
            "needed): %(link)s\n"
        ) % {"link": link}
    return subject, body


def _send(item: Due, recipient: User) -> bool:
    """Record the reminder and mail it once; False if another run recorded it first."""
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                organisation_id=item.organisation_id, kind=item.kind, object_id=item.object_id,
                due_on=item.due_on, recipient=recipient,
            )  # fmt: skip
            record(
                None, "survivors.reminder.sent", reminder,
                organisation_id=item.organisation_id,
                diff={"kind": item.kind, "object": item.object_id, "recipient": recipient.pk},
            )  # fmt: skip
    except IntegrityError:
        return False
    subject, body = message(item, settings.LANGUAGE_CODE)
    send_mail(subject, body, None, [recipient.email])
    return True


def send_reminders(today: dt.date | None = None) -> int:
    """Send every due reminder; the number sent. A recipient who is no longer active is
    skipped (and reminded of nothing: the record stays due for whoever takes it over)."""
    items = due(today)
    users = User.objects.in_bulk({item.recipient_id for item in items})
    sent = 0
    for item in items:
        recipient = users.get(item.recipient_id)
        if recipient is None or not recipient.is_active:
            continue
        try:
            sent += _send(item, recipient)
        except OSError:  # the mail server: the reminder is recorded, log it without data
            log.warning("Support reminder %s:%s could not be mailed.", item.kind, item.object_id)
    return sent
