"""Writes to an award's money: the agreement (generate, sent, signed), tranches, payments,
reductions and recoveries. One function per change, atomic, policy-checked (``actor=None`` is
the system: demo, commands) and audited. Each locks the award's row first, so two payments
recorded at once cannot pass the balance together.

Signing the agreement makes the "on signature" tranches due; approving a report makes the
tranches tied to it due (``actions_money_reports``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.audit.chain import record
from justicework.core import policy
from justicework.core.models import User
from justicework.grants import agreement_pdf, balance, notices
from justicework.grants.models import (
    Agreement,
    Award,
    GranteeReport,
    Payment,
    Recovery,
    Reduction,
    Tranche,
)

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999999.99")


def require(actor: User | None, action: str, obj: Any) -> None:
    if actor is not None:
        policy.require(actor, action, obj)


def locked(award: Award) -> Award:
    """The award's row, locked for the rest of the transaction (money is counted under it)."""
    return Award.objects.select_for_update().select_related("call", "programme").get(pk=award.pk)


def audit(actor: User | None, action: str, obj: Any, award: Award, **diff: Any) -> None:
    record(actor, action, obj, organisation_id=award.call.organisation_id, diff=diff)


def money(value: Decimal, currency: str) -> str:
    return f"{value:,.2f} {currency}"


def amount_of(value: Any, field: str = "amount") -> Decimal:
    """A positive amount with at most two decimals, else a ``ValidationError`` naming ``field``."""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Give an amount such as 1250.00.")}) from None
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT:
        raise ValidationError({field: _("Give an amount above zero.")})
    if amount != amount.quantize(CENT):
        raise ValidationError({field: _("Give the amount with at most two decimals.")})
    return amount.quantize(CENT)


def past_date(value: dt.date | None, field: str = "date") -> dt.date:
    if not isinstance(value, dt.date):
        raise ValidationError({field: _("Give a date.")})
    if value > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})
    return value


def text_given(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: _("This field is required.")})
    return value


# --- The agreement ------------------------------------------------------------------------------


@transaction.atomic
def generate_agreement(actor: User | None, award: Award) -> Agreement:
    """Generate (or, while a draft, generate again) the award's agreement in the grantee's
    language; its SHA-256 names the document."""
    award = locked(award)
    require(actor, "manage", award)
    agreement = Agreement.objects.filter(award=award).first()
    if agreement is not None and agreement.status != Agreement.Status.DRAFT:
        raise ValidationError(
            {"status": _("The agreement was sent; it can no longer be generated again.")}
        )
    version = agreement.version + 1 if agreement is not None else 1
    language = award.application.language
    document = agreement_pdf.render(award, language, version)
    digest = hashlib.sha256(document).hexdigest()
    if agreement is None:
        agreement = Agreement(award=award)
    agreement.language, agreement.version = language, version
    agreement.document, agreement.sha256 = document, digest
    agreement.generated_by, agreement.generated_at = actor, timezone.now()
    agreement.save()
    audit(actor, "grants.agreement.generated", agreement, award, version=version, sha256=digest)
    return agreement


@transaction.atomic
def mark_agreement_sent(actor: User | None, agreement: Agreement) -> Agreement:
    award = locked(agreement.award)
    require(actor, "manage", agreement)
    agreement.refresh_from_db()
    if agreement.status != Agreement.Status.DRAFT:
        raise ValidationError({"status": _("Only a draft agreement can be sent.")})
    agreement.status, agreement.sent_at = Agreement.Status.SENT, timezone.now()
    agreement.save(update_fields=["status", "sent_at"])
    audit(actor, "grants.agreement.sent", agreement, award, sha256=agreement.sha256)
    notices.tell(award.application, notices.K.AGREEMENT)
    return agreement


@transaction.atomic
def mark_agreement_signed(
    actor: User | None, agreement: Agreement, signed_on: dt.date
) -> Agreement:
    """Record the signature; the "on signature" tranches become due on that date."""
    award = locked(agreement.award)
    require(actor, "manage", agreement)
    agreement.refresh_from_db()
    if agreement.status != Agreement.Status.SENT:
        raise ValidationError({"status": _("Only an agreement sent to the grantee can be signed.")})
    signed_on = past_date(signed_on, "signed_on")
    if agreement.sent_at is not None and signed_on < timezone.localdate(agreement.sent_at):
        raise ValidationError(
            {"signed_on": _("The agreement cannot be signed before it was sent.")}
        )
    agreement.status, agreement.signed_on = Agreement.Status.SIGNED, signed_on
    agreement.signed_recorded_at = timezone.now()
    agreement.save(update_fields=["status", "signed_on", "signed_recorded_at"])
    released = release(
        award, Tranche.objects.filter(condition=Tranche.Condition.SIGNATURE), signed_on
    )
    audit(
        actor, "grants.agreement.signed", agreement, award,
        signed_on=signed_on.isoformat(), released=released,
    )  # fmt: skip
    return agreement


def release(award: Award, tranches: Any, on: dt.date) -> list[int]:
    """Make the award's pending ``tranches`` due on ``on``; their numbers."""
    chosen = list(tranches.filter(award=award, status=Tranche.Status.PENDING).order_by("order"))
    for tranche in chosen:
        tranche.status, tranche.due_date = Tranche.Status.DUE, on
        tranche.save(update_fields=["status", "due_date"])
    return [tranche.order for tranche in chosen]


# --- Tranches -----------------------------------------------------------------------------------


def _check_condition(
    award: Award, condition: str, report: GranteeReport | None, due_date: dt.date | None
) -> None:
    if condition not in Tranche.Condition.values:
        raise ValidationError({"condition": _("Choose one of the conditions.")})
    if condition == Tranche.Condition.REPORT and (report is None or report.award_id != award.pk):
        raise ValidationError({"report": _("Choose one of this award's reports.")})
    if condition == Tranche.Condition.DATE and not isinstance(due_date, dt.date):
        raise ValidationError({"due_date": _("Give the date the tranche is due.")})


def _initial_status(award: Award, condition: str, report: GranteeReport | None) -> str:
    """A tranche whose condition is already met is due at once."""
    signed = Agreement.objects.filter(award=award, status=Agreement.Status.SIGNED).exists()
    if condition == Tranche.Condition.SIGNATURE and signed:
        return Tranche.Status.DUE
    if report is not None and report.status == GranteeReport.Status.APPROVED:
        return Tranche.Status.DUE
    return Tranche.Status.PENDING


@transaction.atomic
def add_tranche(
    actor: User | None,
    award: Award,
    *,
    amount: Any,
    condition: str,
    report: GranteeReport | None = None,
    due_date: dt.date | None = None,
) -> Tranche:
    award = locked(award)
    require(actor, "manage", award)
    value = amount_of(amount)
    _check_condition(award, condition, report, due_date)
    planned = Decimal(award.tranches.aggregate(total=Sum("amount"))["total"] or 0)
    if planned + value > award.amount:
        raise ValidationError(
            {
                "amount": _(
                    "The tranches would total %(total)s, more than the award of %(award)s "
                    "(%(room)s left to plan)."
                )
                % {
                    "total": money(planned + value, award.currency),
                    "award": money(award.amount, award.currency),
                    "room": money(award.amount - planned, award.currency),
                }
            }
        )
    order = (award.tranches.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    status = _initial_status(award, condition, report)
    tranche = Tranche.objects.create(
        award=award, order=order, amount=value, condition=condition,
        report=report if condition == Tranche.Condition.REPORT else None,
        due_date=due_date if condition == Tranche.Condition.DATE else (
            timezone.localdate() if status == Tranche.Status.DUE else None
        ),
        status=status,
    )  # fmt: skip
    audit(
        actor, "grants.tranche.added", tranche, award, order=order, amount=str(value),
        condition=condition, report=tranche.report_id, status=status,
    )  # fmt: skip
    return tranche


# --- Payments, reductions, recoveries -----------------------------------------------------------


def _check_tranche(award: Award, tranche: Tranche, value: Decimal, day: dt.date) -> None:
    if tranche.award_id != award.pk:
        raise ValidationError({"tranche": _("Choose one of this award's tranches.")})
    if not tranche.is_payable(day):
        raise ValidationError(
            {"tranche": _("Tranche %(n)s is not due: it is paid %(condition)s.")
             % {"n": tranche.order, "condition": agreement_pdf.condition_text(tranche)}}
        )  # fmt: skip
    paid = Decimal(tranche.payments.aggregate(total=Sum("amount"))["total"] or 0)
    if value > tranche.amount - paid:
        raise ValidationError(
            {
                "amount": _(
                    "A payment of %(amount)s is more than what remains of tranche %(n)s: "
                    "%(left)s (%(whole)s, of which %(paid)s paid)."
                )
                % {
                    "amount": money(value, award.currency),
                    "n": tranche.order,
                    "left": money(tranche.amount - paid, award.currency),
                    "whole": money(tranche.amount, award.currency),
                    "paid": money(paid, award.currency),
                }
            }
        )


def _check_balance(award: Award, value: Decimal) -> balance.Balance:
    now = balance.of(award)
    if value > now.to_pay:
        raise ValidationError(
            {
                "amount": _(
                    "A payment of %(amount)s is more than the balance of %(balance)s (awarded "
                    "%(awarded)s - reductions %(reductions)s - paid %(paid)s + recovered "
                    "%(recovered)s)."
                )
                % {
                    "amount": money(value, award.currency),
                    "balance": money(now.balance, award.currency),
                    "awarded": money(now.awarded, award.currency),
                    "reductions": money(now.reductions, award.currency),
                    "paid": money(now.paid, award.currency),
                    "recovered": money(now.recovered, award.currency),
                }
            }
        )
    return now


@transaction.atomic
def record_payment(
    actor: User | None,
    award: Award,
    *,
    amount: Any,
    date: dt.date,
    reference: str,
    tranche: Tranche | None = None,
) -> Payment:
    """A payment to the grantee, of a due tranche or of the award; never more than the
    tranche's unpaid part nor the award's balance."""
    award = locked(award)
    require(actor, "manage", award)
    value, day = amount_of(amount), past_date(date)
    reference = text_given(reference, "reference")[:120]
    if tranche is not None:
        tranche = Tranche.objects.select_for_update().get(pk=tranche.pk)
        _check_tranche(award, tranche, value, day)
    _check_balance(award, value)
    payment = Payment.objects.create(
        award=award, tranche=tranche, amount=value, date=day, reference=reference,
        recorded_by=actor,
    )  # fmt: skip
    if tranche is not None:
        paid = Decimal(tranche.payments.aggregate(total=Sum("amount"))["total"] or 0)
        tranche.status = Tranche.Status.PAID if paid >= tranche.amount else Tranche.Status.DUE
        tranche.due_date = tranche.due_date or day
        tranche.save(update_fields=["status", "due_date"])
    audit(
        actor, "grants.payment.recorded", payment, award, amount=str(value),
        date=day.isoformat(), reference=reference, tranche=payment.tranche_id,
    )  # fmt: skip
    notices.tell(
        award.application, notices.K.TRANCHE_PAID, amount=str(value), currency=award.currency,
        date=day.isoformat(), tranche=tranche.order if tranche is not None else None,
    )  # fmt: skip
    return payment


@transaction.atomic
def record_reduction(
    actor: User | None, award: Award, *, amount: Any, date: dt.date, reason: str
) -> Reduction:
    """Lower what the grantee is entitled to (never below zero); what was already paid beyond
    it is then owed, and recovered with :func:`record_recovery`."""
    award = locked(award)
    require(actor, "manage", award)
    value, day, reason = amount_of(amount), past_date(date), text_given(reason, "reason")
    now = balance.of(award)
    if value > now.entitled:
        raise ValidationError(
            {"amount": _("A reduction of %(amount)s is more than the %(entitled)s the grantee "
                         "is still entitled to.")
             % {"amount": money(value, award.currency),
                "entitled": money(now.entitled, award.currency)}}
        )  # fmt: skip
    reduction = Reduction.objects.create(
        award=award, amount=value, date=day, reason=reason, recorded_by=actor
    )
    audit(actor, "grants.reduction.recorded", reduction, award, amount=str(value), date=str(day))
    return reduction


@transaction.atomic
def record_recovery(
    actor: User | None, award: Award, *, amount: Any, date: dt.date, reason: str
) -> Recovery:
    """Money the grantee paid back; never more than it was paid (net of earlier recoveries)."""
    award = locked(award)
    require(actor, "manage", award)
    value, day, reason = amount_of(amount), past_date(date), text_given(reason, "reason")
    now = balance.of(award)
    if value > now.net_paid:
        raise ValidationError(
            {"amount": _("A recovery of %(amount)s is more than the %(paid)s paid to the "
                         "grantee (net of earlier recoveries).")
             % {"amount": money(value, award.currency),
                "paid": money(now.net_paid, award.currency)}}
        )  # fmt: skip
    recovery = Recovery.objects.create(
        award=award, amount=value, date=day, reason=reason, recorded_by=actor
    )
    audit(actor, "grants.recovery.recorded", recovery, award, amount=str(value), date=str(day))
    return recovery
