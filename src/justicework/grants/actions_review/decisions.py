"""The decision on an application: award, reserve list or rejection, with the reasons given to
the applicant. Recorded once (the database refuses to change it). An award is checked against
the call's amounts and, under a lock on the legal entity, against the maximum per third party
across the programme: two awards decided at once cannot both pass it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.core.models import User
from justicework.grants import cap, notices
from justicework.grants.actions_review.common import audit, require_staff
from justicework.grants.models import Application, Award, LegalEntity
from justicework.grants.models.review_scores import Decision

Outcome = Decision.Outcome
CENT = Decimal("0.01")
STATUS_OF = {
    Outcome.AWARD: Application.Status.AWARDED,
    Outcome.RESERVE: Application.Status.RESERVE,
    Outcome.REJECT: Application.Status.REJECTED,
}


def _money(value: Any, field: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({field: _("Give an amount.")}) from exc
    if not amount.is_finite() or amount <= 0:
        raise ValidationError({field: _("Give an amount above zero.")})
    return amount


def _rate(application: Application, rate: Any) -> Decimal:
    """1 when the call's currency is the programme's; else the rate the officer states."""
    call = application.call
    if call.currency == call.programme.currency:
        return Decimal(1)
    if rate in (None, ""):
        raise ValidationError(
            {
                "rate_to_programme": _("State the rate from %(call)s to %(programme)s.")
                % {"call": call.currency, "programme": call.programme.currency}
            }
        )
    try:
        value = Decimal(str(rate)).quantize(Decimal("0.00000001"))
    except InvalidOperation as exc:
        raise ValidationError({"rate_to_programme": _("Give a number.")}) from exc
    if not value.is_finite() or value <= 0:
        raise ValidationError({"rate_to_programme": _("Give a rate above zero.")})
    return value


def _check_amount(application: Application, amount: Decimal) -> None:
    call = application.call
    if not call.amount_min <= amount <= call.amount_max:
        raise ValidationError(
            {
                "amount": _("The call awards from %(min)s to %(max)s %(currency)s.")
                % {"min": call.amount_min, "max": call.amount_max, "currency": call.currency}
            }
        )


def cap_refusal(check: cap.CapCheck) -> str:
    return _(
        "This award would pass the maximum per third party: already awarded %(already)s, "
        "proposed %(proposed)s, maximum %(cap)s %(currency)s."
    ) % {
        "already": check.already.quantize(CENT),
        "proposed": check.proposed.quantize(CENT),
        "cap": check.cap.quantize(CENT),
        "currency": check.currency,
    }


def _award(
    actor: User | None, application: Application, given: Any, rate_given: Any, **extra: Any
) -> Award:
    amount = _money(given, "amount")
    _check_amount(application, amount)
    rate = _rate(application, rate_given)
    # the lock makes a second award to the same entity wait until this one commits
    entity = LegalEntity.objects.select_for_update().get(pk=application.applicant_id)
    check = cap.check(entity, application.call, amount, rate)
    if not check.allowed:
        raise ValidationError({"amount": cap_refusal(check)})
    return Award.objects.create(
        application=application,
        call=application.call,
        programme=application.call.programme,
        legal_entity=entity,
        amount=amount,
        currency=application.call.currency,
        rate_to_programme=rate,
        amount_programme=check.proposed,
        decided_by=actor,
        **extra,
    )


@transaction.atomic
def decide(
    actor: User,
    application: Application,
    *,
    outcome: str,
    reasons: str,
    amount: Any = None,
    rate_to_programme: Any = None,
    purpose: str = "",
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
) -> Decision:
    require_staff(actor, application.call)
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if (
        locked.status != Application.Status.IN_REVIEW
        or Decision.objects.filter(application=locked).exists()
    ):
        raise ValidationError({"outcome": _("This application is decided or not in review.")})
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose award, reserve list or reject.")})
    reasons = (reasons or "").strip()
    if not reasons:
        raise ValidationError({"reasons": _("Give the reasons the applicant will read.")})
    award: Award | None = None
    if outcome == Outcome.AWARD:
        if start_date and end_date and end_date < start_date:
            raise ValidationError({"end_date": _("The end is before the start.")})
        award = _award(
            actor, locked, amount, rate_to_programme,
            purpose=(purpose or "").strip()[:500], start_date=start_date, end_date=end_date,
        )  # fmt: skip
    money = award.amount if award is not None else None
    decision = Decision.objects.create(
        application=locked,
        outcome=outcome,
        amount=money,
        currency=locked.call.currency,
        reasons=reasons,
        decided_by=actor,
    )
    locked.status = STATUS_OF[Outcome(outcome)]
    locked.updated_at = timezone.now()
    locked.save(update_fields=["status", "updated_at"])
    application.status = locked.status
    audit(
        actor,
        "decided",
        decision,
        locked.call,
        outcome=outcome,
        amount=str(money) if money is not None else None,
        award=award.pk if award else None,
    )
    # the reasons given to the applicant, never the reviews' comments or scores
    notices.tell(
        locked, notices.K.DECISION, reason=reasons,
        amount=str(money) if money is not None else None, currency=locked.call.currency,
    )  # fmt: skip
    return decision
