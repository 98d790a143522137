"""An application's budget: lines by activity (one of the call's fixed list) and cost category in
the applicant's currency, the rate to the call's currency with its date and source, and the
amount requested kept in step.

**Rounding.** The amount requested is the sum of the lines (each in cents, exact) times the rate,
computed exactly with ``Decimal`` and rounded once, half to even ("banker's rounding"), to the
cent: ``(Σ amounts * rate).quantize(0.01, ROUND_HALF_EVEN)``. Lines are never converted one by
one, so the total does not drift with the number of lines."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.audit.chain import diff_fields, record
from justicework.core import policy
from justicework.core.models import User
from justicework.grants.fields import validate_currency
from justicework.grants.models import Application, BudgetLine

CENT = Decimal("0.01")
#: the largest amount a line or a total may hold (``max_digits=14, decimal_places=2``)
MAX_AMOUNT = Decimal("999999999999.99")
MAX_RATE = Decimal("9999999999.99999999")


@dataclass(frozen=True)
class Totals:
    budget: Decimal  # in the application's currency
    currency: str
    requested: Decimal  # in the call's currency
    call_currency: str


def convert(total: Decimal, rate: Decimal) -> Decimal:
    return (total * rate).quantize(CENT, rounding=ROUND_HALF_EVEN)


def totals(application: Application, extra: Decimal = Decimal(0)) -> Totals:
    """The budget's sum and the amount it requests (``extra``: a line being typed, not saved)."""
    lines = application.budget_lines.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    budget = lines + extra
    requested = convert(budget, Decimal(application.exchange_rate))
    return Totals(budget, application.currency, requested, application.call.currency)


def snapshot(application: Application) -> dict[str, Any]:
    return {
        "title": application.title,
        "language": application.language,
        "currency": application.currency,
        "exchange_rate": str(application.exchange_rate),
        "rate_date": application.rate_date.isoformat() if application.rate_date else None,
        "rate_source": application.rate_source,
        "requested_amount": str(application.requested_amount),
    }


def recompute(application: Application) -> None:
    """Keep ``requested_amount`` in step with the lines and the rate (no audit: the change that
    moved it is audited)."""
    requested = totals(application).requested
    if requested != application.requested_amount:
        application.requested_amount = requested
        application.save(update_fields=["requested_amount"])


def _audit(actor: User | None, event: str, application: Application, diff: dict[str, Any]) -> None:
    record(
        actor, f"grants.application.{event}", application, diff=diff,
        organisation_id=application.applicant.organisation_id,
    )  # fmt: skip


def _require(actor: User | None, application: Application) -> None:
    if actor is not None:
        policy.require(actor, "change", application)


def _decimal(value: Any, field: str, top: Decimal, places: int) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Give a number.")}) from None
    if not number.is_finite() or number < 0:
        raise ValidationError({field: _("Give a number of 0 or more.")})
    if number > top or number != number.quantize(Decimal(1).scaleb(-places)):
        raise ValidationError(
            {field: _("At most %(places)s decimals and %(top)s.") % {"places": places, "top": top}}
        )
    return number


def _rate_changes(application: Application, changes: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    out: dict[str, Any] = {}
    if "currency" in changes:
        out["currency"] = str(changes["currency"] or "").strip().upper()
        try:
            validate_currency(out["currency"])
        except ValidationError as exc:
            errors["currency"] = exc.messages
    if "exchange_rate" in changes:
        try:
            out["exchange_rate"] = _decimal(changes["exchange_rate"], "exchange_rate", MAX_RATE, 8)
        except ValidationError as exc:
            errors.update(exc.message_dict)
        else:
            if out["exchange_rate"] == 0:
                errors["exchange_rate"] = _("The rate must be more than 0.")
    if "rate_date" in changes:
        out["rate_date"] = changes["rate_date"] or None
        if out["rate_date"] is not None and not isinstance(out["rate_date"], dt.date):
            errors["rate_date"] = _("Give a date.")
    if "rate_source" in changes:
        out["rate_source"] = str(changes["rate_source"] or "").strip()
        if len(out["rate_source"]) > 200:
            errors["rate_source"] = _("At most 200 characters.")
    if errors:
        raise ValidationError(errors)
    return out


def _check_rate_stated(application: Application) -> None:
    """A budget in another currency than the call's needs the rate's date and source."""
    if application.currency == application.call.currency:
        return
    errors = {}
    if application.rate_date is None:
        errors["rate_date"] = _("Give the date of the exchange rate.")
    if not application.rate_source:
        errors["rate_source"] = _("Say where the exchange rate comes from.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def set_currency(actor: User | None, application: Application, **changes: Any) -> None:
    """The budget's currency and its rate to the call's currency (units of the call's currency
    per unit of the budget's), with the rate's date and source; in the call's currency the rate
    is 1."""
    _require(actor, application)
    unknown = sorted(set(changes) - {"currency", "exchange_rate", "rate_date", "rate_source"})
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in unknown})
    out = _rate_changes(application, changes)
    before = snapshot(application)
    for name, value in out.items():
        setattr(application, name, value)
    if application.currency == application.call.currency:
        application.exchange_rate = Decimal(1)
    try:
        _check_rate_stated(application)
    except ValidationError:
        application.refresh_from_db()
        raise
    application.requested_amount = totals(application).requested
    application.updated_at = timezone.now()
    application.save()
    _audit(actor, "currency_set", application, diff_fields(before, snapshot(application)))


def _check_line(application: Application, activity_type: str, cost_category: str) -> None:
    errors = {}
    codes = [str(a.get("code")) for a in application.call.activity_types if isinstance(a, dict)]
    if activity_type not in codes:
        errors["activity_type"] = _("Choose one of the call's activities: %(codes)s.") % {
            "codes": ", ".join(codes)
        }
    if cost_category not in BudgetLine.CostCategory.values:
        errors["cost_category"] = _("Choose one of the cost categories.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_budget_line(
    actor: User | None,
    application: Application,
    *,
    activity_type: str,
    cost_category: str,
    amount: Any,
    description: str = "",
) -> BudgetLine:
    _require(actor, application)
    _check_line(application, activity_type, cost_category)
    value = _decimal(amount, "amount", MAX_AMOUNT, 2)
    if len(description.strip()) > 300:
        raise ValidationError({"description": _("At most 300 characters.")})
    order = (application.budget_lines.aggregate(top=Max("order"))["top"] or 0) + 1
    line = BudgetLine.objects.create(
        application=application, order=order, activity_type=activity_type,
        cost_category=cost_category, description=description.strip(), amount=value,
    )  # fmt: skip
    recompute(application)
    diff = {"line": line.pk, "activity_type": activity_type, "cost_category": cost_category}
    diff |= {"amount": str(value), "requested_amount": str(application.requested_amount)}
    _audit(actor, "budget_line_added", application, diff)
    return line


@transaction.atomic
def remove_budget_line(actor: User | None, line: BudgetLine) -> None:
    application = line.application
    _require(actor, application)
    pk, amount = line.pk, line.amount
    line.delete()
    recompute(application)
    _audit(actor, "budget_line_removed", application,
           {"line": pk, "amount": str(amount),
            "requested_amount": str(application.requested_amount)})  # fmt: skip
