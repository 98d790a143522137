"""The maximum per third party: the support a legal entity has been awarded across every call of
a programme, and whether one more award stays within the maximum. The decision actions ask this
under a lock on the legal entity, so two awards decided at once cannot pass it together."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from justicework.grants.models import Award, Call, LegalEntity


@dataclass(frozen=True)
class CapCheck:
    #: already awarded to the entity in the programme, in the programme's currency
    already: Decimal
    #: the new award in the programme's currency
    proposed: Decimal
    #: the maximum that applies (the call's, which defaults to the programme's)
    cap: Decimal
    currency: str

    @property
    def total(self) -> Decimal:
        return self.already + self.proposed

    @property
    def allowed(self) -> bool:
        return self.total <= self.cap

    @property
    def room(self) -> Decimal:
        return max(self.cap - self.already, Decimal(0))


def awarded_to(
    entity: LegalEntity, programme_id: int, *, exclude_award: int | None = None
) -> Decimal:
    """The sum of the entity's awards in the programme (gross: a later reduction does not free
    room under the maximum, the conservative reading of the rule)."""
    awards = Award.objects.filter(legal_entity=entity, programme_id=programme_id)
    if exclude_award is not None:
        awards = awards.exclude(pk=exclude_award)
    total = awards.aggregate(total=Sum("amount_programme"))["total"]
    return Decimal(total or 0)


def check(entity: LegalEntity, call: Call, amount: Decimal, rate_to_programme: Decimal) -> CapCheck:
    """Would awarding ``amount`` (call currency) to ``entity`` under ``call`` stay within the
    maximum? ``rate_to_programme`` converts the call's currency to the programme's."""
    proposed = (amount * rate_to_programme).quantize(Decimal("0.01"))
    return CapCheck(
        already=awarded_to(entity, call.programme_id),
        proposed=proposed,
        cap=call.cap_per_recipient,
        currency=call.programme.currency,
    )
