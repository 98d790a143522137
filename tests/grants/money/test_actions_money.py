"""The money of an award: the agreement generated, sent and signed (which makes the "on
signature" tranche due), tranches within the award, payments within the tranche and the
balance (refused with the figures), reductions and recoveries, every change audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import unicodedata
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from pypdf import PdfReader

from justicework.audit.models import AuditEntry
from justicework.core.models import User
from justicework.grants import actions_money as actions
from justicework.grants import agreement_pdf, balance
from justicework.grants.models import Award, Call, Payment, Tranche
from tests.grants.money.conftest import make_award

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return unicodedata.normalize("NFKC", "\n".join(p.extract_text() for p in reader.pages))


def _signed(officer: User, award: Award) -> None:
    agreement = actions.generate_agreement(officer, award)
    actions.mark_agreement_sent(officer, agreement)
    actions.mark_agreement_signed(officer, agreement, TODAY())


def test_the_agreement_carries_the_award_and_its_sha256(officer: User, award: Award) -> None:
    actions.add_tranche(officer, award, amount="24000", condition="signature")
    agreement = actions.generate_agreement(officer, award)
    data = bytes(agreement.document)
    assert data.startswith(b"%PDF-")
    assert agreement.sha256 == hashlib.sha256(data).hexdigest()
    text = _text(data)
    for words in [award.legal_entity.legal_name, "40,000.00 EUR", "24,000.00 EUR",
                  award.application.reference, "5 years", "OLAF"]:  # fmt: skip
        assert words in text.replace("\n", " "), words
    entry = AuditEntry.objects.get(action="grants.agreement.generated")
    assert entry.diff["sha256"] == agreement.sha256


def test_the_arabic_agreement_is_shaped_and_right_aligned(
    officer: User, open_call: Call, applicant: SimpleNamespace
) -> None:
    award = make_award(open_call, applicant.entity, language="ar")
    award.purpose = "توثيق الهجمات على المدنيين"
    pdf = agreement_pdf.build(award, "ar", 1)
    names = {glyph.glyph_name for glyph, _ in pdf.fonts["dejavusans"].subset.items() if glyph}
    joined = {name for name in names if name.startswith(("uniFE", "uniFB"))}
    assert len(joined) >= 5, names


def test_a_draft_is_generated_again_a_sent_one_is_not(officer: User, award: Award) -> None:
    first = actions.generate_agreement(officer, award)
    second = actions.generate_agreement(officer, award)
    assert (second.pk, second.version) == (first.pk, 2)
    actions.mark_agreement_sent(officer, second)
    with pytest.raises(ValidationError, match="was sent"):
        actions.generate_agreement(officer, award)


def test_signature_makes_the_signature_tranche_due(officer: User, award: Award) -> None:
    first = actions.add_tranche(officer, award, amount="24000", condition="signature")
    later = actions.add_tranche(
        officer, award, amount="16000", condition="date", due_date=TODAY() + dt.timedelta(days=90)
    )
    with pytest.raises(ValidationError, match="not due"):
        actions.record_payment(officer, award, amount="100", date=TODAY(), reference="T1",
                               tranche=first)  # fmt: skip
    _signed(officer, award)
    first.refresh_from_db(), later.refresh_from_db()
    assert (first.status, first.due_date, later.status) == ("due", TODAY(), "pending")
    entry = AuditEntry.objects.get(action="grants.agreement.signed")
    assert entry.diff["released"] == [1]


def test_signing_needs_a_sent_agreement_and_a_past_date(officer: User, award: Award) -> None:
    agreement = actions.generate_agreement(officer, award)
    with pytest.raises(ValidationError, match="sent to the grantee"):
        actions.mark_agreement_signed(officer, agreement, TODAY())
    actions.mark_agreement_sent(officer, agreement)
    with pytest.raises(ValidationError) as caught:
        actions.mark_agreement_signed(officer, agreement, TODAY() + dt.timedelta(days=1))
    assert "signed_on" in caught.value.error_dict
    agreement.refresh_from_db()
    assert agreement.status == "sent"


def test_tranches_cannot_pass_the_award(officer: User, award: Award) -> None:
    actions.add_tranche(officer, award, amount="30000", condition="signature")
    with pytest.raises(ValidationError) as caught:
        actions.add_tranche(officer, award, amount="10000.01", condition="signature")
    message = caught.value.message_dict["amount"][0]
    assert "40,000.01 EUR" in message and "10,000.00 EUR left" in message
    assert award.tranches.count() == 1


def test_a_payment_cannot_pass_its_tranche_nor_the_balance(officer: User, award: Award) -> None:
    tranche = actions.add_tranche(officer, award, amount="24000", condition="signature")
    _signed(officer, award)
    with pytest.raises(ValidationError) as caught:
        actions.record_payment(officer, award, amount="24000.01", date=TODAY(), reference="X",
                               tranche=tranche)  # fmt: skip
    assert "24,000.00 EUR" in caught.value.message_dict["amount"][0]
    actions.record_payment(officer, award, amount="24000", date=TODAY(), reference="SEPA-1",
                           tranche=tranche)  # fmt: skip
    tranche.refresh_from_db()
    assert tranche.status == Tranche.Status.PAID
    with pytest.raises(ValidationError) as caught:
        actions.record_payment(officer, award, amount="16000.01", date=TODAY(), reference="X")
    message = caught.value.message_dict["amount"][0]
    assert "balance of 16,000.00 EUR" in message and "paid 24,000.00 EUR" in message
    assert Payment.objects.count() == 1


def test_reductions_and_recoveries_make_the_balance(officer: User, award: Award) -> None:
    actions.record_payment(officer, award, amount="30000", date=TODAY(), reference="A")
    actions.record_reduction(officer, award, amount="15000", date=TODAY(), reason="Ineligible")
    now = balance.of(award)
    assert (now.entitled, now.balance, now.owed, now.to_pay) == (
        Decimal("25000"), Decimal("-5000"), Decimal("5000"), Decimal("0"),
    )  # fmt: skip
    with pytest.raises(ValidationError, match="balance"):
        actions.record_payment(officer, award, amount="1", date=TODAY(), reference="B")
    actions.record_recovery(officer, award, amount="5000", date=TODAY(), reason="Repaid")
    assert balance.of(award).balance == Decimal("0")
    with pytest.raises(ValidationError, match=r"more than the 25,000\.00 EUR paid"):
        actions.record_recovery(officer, award, amount="25000.01", date=TODAY(), reason="x")
    with pytest.raises(ValidationError, match="still entitled to"):
        actions.record_reduction(officer, award, amount="25000.01", date=TODAY(), reason="x")


@pytest.mark.parametrize(
    ("amount", "message"),
    [("-5", "above zero"), ("0", "above zero"), ("1.234", "two decimals"), ("abc", "such as")],
)
def test_bad_amounts_name_the_field(officer: User, award: Award, amount: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.record_payment(officer, award, amount=amount, date=TODAY(), reference="R")
    assert message in caught.value.message_dict["amount"][0]
    assert not Payment.objects.exists()


def test_a_payment_needs_a_reference_and_no_future_date(officer: User, award: Award) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.record_payment(officer, award, amount="10", date=TODAY(), reference=" ")
    assert "reference" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:
        actions.record_payment(
            officer, award, amount="10", date=TODAY() + dt.timedelta(days=1), reference="R"
        )
    assert "date" in caught.value.error_dict


def test_a_dated_tranche_is_payable_from_its_date(officer: User, award: Award) -> None:
    tranche = actions.add_tranche(officer, award, amount="1000", condition="date",
                                  due_date=TODAY())  # fmt: skip
    actions.record_payment(officer, award, amount="400", date=TODAY(), reference="R",
                           tranche=tranche)  # fmt: skip
    tranche.refresh_from_db()
    assert tranche.status == Tranche.Status.DUE


def test_the_payment_is_audited(officer: User, award: Award) -> None:
    payment = actions.record_payment(officer, award, amount="10", date=TODAY(), reference="R-9")
    entry = AuditEntry.objects.get(action="grants.payment.recorded")
    assert entry.object_id == str(payment.pk) and entry.diff["reference"] == "R-9"
    assert entry.organisation_id == award.call.organisation_id


@pytest.mark.parametrize("who", ["reviewer", "viewer", "beacon_officer", "grantee"])
def test_only_the_programme_staff_move_money(
    who: str, award: Award, applicant: SimpleNamespace, request: pytest.FixtureRequest
) -> None:
    user = applicant.user if who == "grantee" else request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        actions.record_payment(user, award, amount="10", date=TODAY(), reference="R")
    with pytest.raises(PermissionDenied):
        actions.generate_agreement(user, award)
    assert not Payment.objects.exists()
