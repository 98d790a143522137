"""The balance of an award, in the award's currency.

* **awarded** — the award's amount;
* **reductions** — decisions lowering what the grantee is entitled to;
* **entitled** = awarded - reductions;
* **paid** — every payment made;
* **recovered** — money the grantee paid back;
* **net paid** = paid - recovered;
* **balance** = entitled - net paid = awarded - reductions - paid + recovered: what remains to
  be paid. Below zero, the grantee holds more than it is entitled to: **owed** = -balance is
  what it must pay back.

A payment may not exceed the balance (nor its tranche's unpaid part); a reduction may not take
the entitlement below zero; a recovery may not exceed the net paid.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from justicework.grants.models import Award, Payment, Recovery, Reduction

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Balance:
    currency: str
    awarded: Decimal
    reductions: Decimal
    paid: Decimal
    recovered: Decimal

    @property
    def entitled(self) -> Decimal:
        return self.awarded - self.reductions

    @property
    def net_paid(self) -> Decimal:
        return self.paid - self.recovered

    @property
    def balance(self) -> Decimal:
        return self.entitled - self.net_paid

    @property
    def to_pay(self) -> Decimal:
        return max(self.balance, ZERO)

    @property
    def owed(self) -> Decimal:
        return max(-self.balance, ZERO)


def _sum(model: type[Payment] | type[Reduction] | type[Recovery], award: Award) -> Decimal:
    total = model.objects.filter(award=award).aggregate(total=Sum("amount"))["total"]
    return Decimal(total or ZERO)


def of(award: Award) -> Balance:
    """The award's balance now (three small aggregate queries)."""
    return Balance(
        currency=award.currency,
        awarded=award.amount,
        reductions=_sum(Reduction, award),
        paid=_sum(Payment, award),
        recovered=_sum(Recovery, award),
    )
