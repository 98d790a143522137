"""The money of published awards in the IATI file (Activity Standard 2.03, TransactionType
codelist): per award an outgoing commitment (2) and a negative one per reduction, a
disbursement (3) per payment and a negative one per recovery; the published awards' money
only; the same number of queries for any number of awards and payments."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # parsing our own output
from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from justicework.grants import balance, exports_iati
from justicework.grants.models import Award, Payment, Recovery, Reduction
from justicework.grants.publication import grant_id, published_awards_with_money
from tests.grants.conftest import make_applicant
from tests.grants.publication.conftest import make_award
from tests.grants.publication.test_exports_iati import (
    REQUIRED_ATTRIBUTES,
    TRANSACTION_ORDER,
    in_order,
    parse,
)

pytestmark = pytest.mark.django_db
IATI = reverse("grants:awards_iati")
RECORDED = datetime(2025, 9, 2, 8, 30, tzinfo=UTC)


def pay(award: Award, amount: str, day: date, reference: str) -> Payment:
    return Payment.objects.create(
        award=award, amount=Decimal(amount), date=day, reference=reference, recorded_at=RECORDED
    )


def recover(award: Award, amount: str, day: date) -> Recovery:
    return Recovery.objects.create(
        award=award, amount=Decimal(amount), date=day, reason="Unspent staff costs returned",
        recorded_at=RECORDED,
    )  # fmt: skip


def reduce(award: Award, amount: str, day: date) -> Reduction:
    return Reduction.objects.create(
        award=award, amount=Decimal(amount), date=day, reason="Activities in one oblast dropped",
        recorded_at=RECORDED,
    )  # fmt: skip


@pytest.fixture
def money(world: SimpleNamespace) -> SimpleNamespace:
    a = world.awards
    return SimpleNamespace(
        first=pay(a.kyiv, "24000", date(2025, 3, 10), "TR-2025-0310-KH"),
        second=pay(a.kyiv, "10000", date(2025, 6, 2), "TR-2025-0602-KH"),
        reduction=reduce(a.kyiv, "5000", date(2025, 8, 1)),
        recovery=recover(a.kyiv, "2000.50", date(2025, 9, 1)),
        tbilisi=pay(a.tbilisi, "15000", date(2025, 3, 1), "TR-2025-0301-TB"),
        hidden=pay(a.hidden, "5000", date(2025, 3, 5), "TR-HIDDEN-UNDER-REVIEW"),
        beacon=pay(a.beacon, "7000", date(2025, 4, 1), "BJC-TR-1"),
    )


def rows(transaction: ET.Element) -> tuple[str, str, str, str, str, str]:
    value = transaction.find("value")
    assert value is not None
    return (
        transaction.find("transaction-type").get("code"),  # type: ignore[union-attr]
        transaction.find("transaction-date").get("iso-date"),  # type: ignore[union-attr]
        value.text or "",
        value.get("currency") or "",
        value.get("value-date") or "",
        transaction.get("ref") or "",
    )


def of_recipient(root: ET.Element, activity: int, recipient: str) -> list[ET.Element]:
    chosen = root.findall("iati-activity")[activity]
    return [
        t
        for t in chosen.findall("transaction")
        if t.find("receiver-org").get("ref") == recipient  # type: ignore[union-attr]
    ]


def the_file() -> ET.Element:
    return parse(exports_iati.activities(published_awards_with_money()))


def test_an_award_gives_its_commitment_and_each_payment_reduction_and_recovery(
    world: SimpleNamespace, money: SimpleNamespace
) -> None:
    grant = grant_id(world.awards.kyiv)
    reduction = f"{grant}-reduction-{money.reduction.pk}"
    recovery = f"{grant}-recovery-{money.recovery.pk}"
    found = [rows(t) for t in of_recipient(the_file(), 0, "UA-EDR-12345678")]
    assert found == [
        ("2", "2025-02-14", "40000.00", "EUR", "2025-02-14", grant),
        ("3", "2025-03-10", "24000.00", "EUR", "2025-03-10", "TR-2025-0310-KH"),
        ("3", "2025-06-02", "10000.00", "EUR", "2025-06-02", "TR-2025-0602-KH"),
        ("2", "2025-08-01", "-5000.00", "EUR", "2025-08-01", reduction),
        ("3", "2025-09-01", "-2000.50", "EUR", "2025-09-01", recovery),
    ]  # fmt: skip


def test_disbursements_add_up_to_net_paid_and_commitments_to_the_entitlement(
    world: SimpleNamespace, money: SimpleNamespace
) -> None:
    root = the_file()
    totals: dict[tuple[int, str, str], Decimal] = defaultdict(Decimal)
    for number, activity in enumerate(root.findall("iati-activity")):
        for transaction in activity.findall("transaction"):
            kind, _day, value, *_rest = rows(transaction)
            recipient = transaction.find("receiver-org").get("ref")  # type: ignore[union-attr]
            totals[(number, recipient or "", kind)] += Decimal(value)
    a = world.awards
    for number, award, recipient in [
        (0, a.kyiv, "UA-EDR-12345678"),
        (0, a.tbilisi, "360G-acme-GE-404555"),
        (0, a.goma, "360G-acme-CD-CDGOM201977"),
        (1, a.beacon, "360G-acme-CD-CDGOM201977"),
    ]:
        figures = balance.of(award)
        assert totals[(number, recipient, "2")] == figures.entitled, award
        assert totals[(number, recipient, "3")] == figures.net_paid, award
    assert totals[(0, "UA-EDR-12345678", "3")] == Decimal("31999.50")  # 34,000 - 2,000.50


def test_the_money_of_an_unpublished_award_is_never_in_the_file(
    world: SimpleNamespace, money: SimpleNamespace
) -> None:
    body = Client().get(IATI).content.decode()
    assert "TR-2025-0310-KH" in body  # the file has payments
    assert "TR-HIDDEN-UNDER-REVIEW" not in body
    assert grant_id(world.awards.hidden) not in body


def test_money_transactions_keep_the_schemas_order_and_required_attributes(
    world: SimpleNamespace, money: SimpleNamespace
) -> None:
    root = the_file()
    transactions = list(root.iter("transaction"))
    assert {rows(t)[0] for t in transactions} == {"2", "3"}
    for transaction in transactions:
        assert in_order([child.tag for child in transaction], TRANSACTION_ORDER)
        for element in transaction.iter():
            missing = REQUIRED_ATTRIBUTES.get(element.tag, set()) - set(element.attrib)
            assert not missing, (element.tag, missing)
        assert (transaction.findtext("description/narrative") or "").strip()
        _kind, day, value, currency, value_day, ref = rows(transaction)
        assert day == value_day and date.fromisoformat(day) <= timezone.now().date()  # never future
        assert Decimal(value).as_tuple().exponent == -2 and currency == "EUR" and ref


def test_last_updated_follows_the_latest_money_recorded(
    world: SimpleNamespace, money: SimpleNamespace
) -> None:
    ours = the_file().findall("iati-activity")[0]
    assert ours.get("last-updated-datetime") == RECORDED.isoformat()
    later = datetime(2025, 10, 1, 9, 0, tzinfo=UTC)
    Recovery.objects.filter(pk=money.recovery.pk).update(recorded_at=later)
    ours = the_file().findall("iati-activity")[0]
    assert ours.get("last-updated-datetime") == later.isoformat()


def test_the_file_takes_as_many_queries_for_many_awards_and_payments(
    world: SimpleNamespace, money: SimpleNamespace
) -> None:
    def counted() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert Client().get(IATI).status_code == 200
        return len(queries)

    before = counted()
    for number in range(5):
        award = make_award(world.calls.decided, make_applicant(f"Lviv {number}", "UA").entity)
        for month in (3, 4, 5):
            pay(award, "1000", date(2025, month, 1), f"TR-LVIV-{number}-{month}")
        recover(award, "100", date(2025, 6, 1))
        reduce(award, "500", date(2025, 6, 2))
    assert counted() == before
    # before: Kyiv 5, Tbilisi 2, Goma 1, Beacon 2; each new award a commitment and 5 more
    assert Client().get(IATI).content.decode().count("<transaction ") == 10 + 5 * 6
