"""The grants demo's partners (``demo.grants``) are applicants the grants app accepts: legal
forms and categories from its lists, real countries, languages of the interface, Faker
locales the demo knows, amounts inside the call's bounds, and a declaration that is a PDF."""

from __future__ import annotations

from decimal import Decimal

import pycountry
from django.conf import settings

from justicework.demo import coalition
from justicework.demo import grants as demo
from justicework.grants.legal_forms import LegalForm
from justicework.grants.models.programmes import RecipientCategory

PARTNERS = (*demo.DECIDED, *demo.OPEN)
AMOUNT_MIN, AMOUNT_MAX = Decimal("5000"), Decimal("60000")


def test_partners_are_applicants_the_grants_app_accepts():
    languages = {code for code, _name in settings.LANGUAGES}
    for partner in PARTNERS:
        assert partner.legal_form in LegalForm.values
        assert set(partner.categories) <= set(RecipientCategory.values)
        assert pycountry.countries.get(alpha_2=partner.country) is not None
        assert partner.language in languages
        assert partner.locale in coalition.LOCALES


def test_requested_amounts_lie_within_the_calls_bounds_and_one_is_at_the_maximum():
    amounts = [Decimal(partner.amount) for partner in PARTNERS]
    assert all(AMOUNT_MIN <= amount <= AMOUNT_MAX for amount in amounts)
    assert Decimal(demo.DECIDED[0].amount) == AMOUNT_MAX


def test_the_decided_call_has_applicants_from_four_countries_in_four_languages():
    assert len({p.country for p in demo.DECIDED}) == 4
    assert len({p.language for p in demo.DECIDED}) >= 3
    assert {p.country for p in demo.OPEN}.isdisjoint({p.country for p in demo.DECIDED})


def test_the_activities_have_codes_and_english_titles():
    codes = [activity["code"] for activity in demo.ACTIVITIES]
    assert len(codes) == len(set(codes))
    assert all(activity["title"]["en"] for activity in demo.ACTIVITIES)


def test_the_declaration_is_a_minimal_pdf():
    assert demo.PDF.startswith(b"%PDF-1.4") and demo.PDF.rstrip().endswith(b"%%EOF")
