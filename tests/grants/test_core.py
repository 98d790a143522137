"""The grants core: values in several languages, currencies, the legal entity's identity and the
per-recipient maximum counted across the programme's calls."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from justicework.grants import cap
from justicework.grants.fields import text_in, validate_currency, validate_required_texts
from justicework.grants.models import Award, Call, LegalEntity, Programme
from justicework.grants.models.applicants import identity_key
from tests.grants.conftest import make_applicant, make_application, make_call

pytestmark = pytest.mark.django_db


def test_identity_key_folds_how_registries_print_a_number() -> None:
    assert identity_key("ua", "№ 1234-5678") == "UA:12345678"
    assert identity_key("GE", " ab 12/34 ") == "GE:AB1234"
    assert identity_key("UA", "12345678") != identity_key("GE", "12345678")


def test_one_legal_entity_per_identity(applicant: SimpleNamespace) -> None:
    org = make_applicant("Another name, same entity", regno="x").org
    with pytest.raises(IntegrityError), transaction.atomic():
        LegalEntity.objects.create(
            organisation=org,
            legal_name="Same entity",
            legal_form="ngo",
            country="UA",
            registration_number=applicant.entity.registration_number,
            identity_key=applicant.entity.identity_key,
        )


def test_texts_name_the_wrong_language_and_need_one_text() -> None:
    with pytest.raises(ValidationError, match="'de' is not one of the languages"):
        validate_required_texts({"de": "Aufruf"})
    with pytest.raises(ValidationError, match="at least one language"):
        validate_required_texts({"en": "  "})
    validate_required_texts({"ar": "دعوة"})


def test_text_in_falls_back_to_english_then_any() -> None:
    texts = {"en": "Call", "fr": "Appel"}
    with translation.override("fr"):
        assert text_in(texts) == "Appel"
    assert text_in(texts, "ru") == "Call"
    assert text_in({"es": "Convocatoria"}, "ar") == "Convocatoria"
    assert text_in({}, "en") == ""


def test_currency_codes_are_iso_4217() -> None:
    validate_currency("UAH")
    with pytest.raises(ValidationError, match="'EURO' is not an ISO 4217"):
        validate_currency("EURO")


def _award(call: Call, entity: LegalEntity, amount: str, rate: str = "1") -> Award:
    application = make_application(call, entity)
    return Award.objects.create(
        application=application,
        call=call,
        programme=call.programme,
        legal_entity=entity,
        amount=Decimal(amount),
        currency=call.currency,
        rate_to_programme=Decimal(rate),
        amount_programme=(Decimal(amount) * Decimal(rate)).quantize(Decimal("0.01")),
    )


def test_cap_counts_every_call_of_the_programme_only(
    programme: Programme, applicant: SimpleNamespace, other_applicant: SimpleNamespace
) -> None:
    first, second = make_call(programme), make_call(programme)
    elsewhere = make_call(
        Programme.objects.create(organisation=programme.organisation, name="Other", currency="EUR")
    )
    _award(first, applicant.entity, "35000")
    _award(elsewhere, applicant.entity, "50000")
    _award(first, other_applicant.entity, "50000")

    within = cap.check(applicant.entity, second, Decimal("25000"), Decimal("1"))
    assert (within.already, within.total, within.allowed) == (
        Decimal("35000"),
        Decimal("60000"),
        True,
    )
    over = cap.check(applicant.entity, second, Decimal("25000.01"), Decimal("1"))
    assert not over.allowed and over.room == Decimal("25000")


def test_cap_converts_the_call_currency_at_the_stated_rate(
    programme: Programme, applicant: SimpleNamespace
) -> None:
    hryvnia = make_call(programme, currency="UAH", amount_max=Decimal("2500000"))
    _award(hryvnia, applicant.entity, "1000000", rate="0.022")
    result = cap.check(applicant.entity, hryvnia, Decimal("1800000"), Decimal("0.022"))
    assert result.already == Decimal("22000.00")
    assert result.proposed == Decimal("39600.00")
    assert not result.allowed


def test_a_justified_call_cap_is_the_one_that_applies(
    programme: Programme, applicant: SimpleNamespace
) -> None:
    call = make_call(
        programme,
        cap_per_recipient=Decimal("100000"),
        cap_justification="Work programme 2027, section 4.2",
    )
    assert cap.check(applicant.entity, call, Decimal("90000"), Decimal("1")).allowed
