"""Records retention: a call's records (applications, awards, agreements, payments, reports,
attachments) are kept for control by the Commission, OLAF and the Court of Auditors, locked
against deletion until N years after the call's last payment.

N is the programme's ``retention_years``, never less than the setting
``JUSTICEWORK_GRANTS_RETENTION_YEARS`` (default 5). :func:`locked_until` answers for a call:

* the date of its last payment plus N years, once a payment was made;
* :data:`OPEN_ENDED` (``date.max``) when the call has awards but no payment yet: the clock has
  not started, the records are locked;
* ``None`` when the call made no award (nothing was paid, nothing is locked).

Every delete action of the grants app calls :func:`check_deletable` first.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.audit.chain import record
from justicework.core import policy
from justicework.core.models import User
from justicework.grants.models import Application, Award, Call, Payment, Programme
from justicework.grants.rules_money import DELETE_RECORDS

OPEN_ENDED = dt.date.max
#: what may be deleted once the lock allows: applications that led to no award
DELETABLE = (
    Application.Status.WITHDRAWN,
    Application.Status.INELIGIBLE,
    Application.Status.REJECTED,
)


def years(programme: Programme) -> int:
    return max(int(programme.retention_years), int(settings.GRANTS_RETENTION_YEARS))


def add_years(day: dt.date, count: int) -> dt.date:
    try:
        return day.replace(year=day.year + count)
    except ValueError:  # 29 February into a year without one
        return day.replace(year=day.year + count, day=28)


def last_payment(call: Call) -> dt.date | None:
    last: dt.date | None = Payment.objects.filter(award__call=call).aggregate(last=Max("date"))[
        "last"
    ]
    return last


def locked_until(call: Call) -> dt.date | None:
    last = last_payment(call)
    if last is not None:
        return add_years(last, years(call.programme))
    if Award.objects.filter(call=call).exists():
        return OPEN_ENDED
    return None


def is_locked(call: Call, today: dt.date | None = None) -> bool:
    until = locked_until(call)
    return until is not None and (today or timezone.localdate()) < until


def check_deletable(call: Call, today: dt.date | None = None) -> None:
    """Raise a ``ValidationError`` saying until when, if the call's records are locked."""
    until = locked_until(call)
    if until is None or (today or timezone.localdate()) >= until:
        return
    if until == OPEN_ENDED:
        message = _(
            "The records of call %(call)s are kept for control: the call made awards and the "
            "retention period starts with its last payment."
        ) % {"call": call.reference}
    else:
        message = _(
            "The records of call %(call)s are kept for control until %(date)s (%(years)s years "
            "after its last payment)."
        ) % {"call": call.reference, "date": until.isoformat(), "years": years(call.programme)}
    raise ValidationError({"retention": message})


@transaction.atomic
def delete_application(actor: User | None, application: Application) -> None:
    """Delete an application that led to no award (withdrawn, ineligible, not selected), with
    its budget and attachments, once the call's retention period allows."""
    call = Call.objects.select_for_update().get(pk=application.call_id)
    if actor is not None:
        policy.require(actor, DELETE_RECORDS, call.organisation)
    if application.status not in DELETABLE:
        raise ValidationError(
            {"status": _("Only a withdrawn, ineligible or unselected application can be deleted.")}
        )
    check_deletable(call)
    diff = {"reference": application.reference, "call": call.pk, "status": application.status}
    pk = application.pk
    application.delete()
    record(
        actor, "grants.application.deleted", None, organisation_id=call.organisation_id,
        object_type="grants.application", object_id=str(pk), diff=diff,
    )  # fmt: skip
