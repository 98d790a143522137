"""Fixtures for the grants app: a programme of Acme (the cast's programme officer runs it), an
open call, and applicant organisations with a grantee member each.

Rows are made directly here (test set-up); the code under test writes through the actions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone
from faker import Faker

from justicework.core import actions
from justicework.core.models import Organisation
from justicework.core.roles import Role
from justicework.grants.models import (
    Application,
    Call,
    Criterion,
    LegalEntity,
    Programme,
    Question,
)
from justicework.grants.models.applicants import identity_key
from tests.conftest import make_user

fake = Faker()


@pytest.fixture
def programme(acme: Organisation) -> Programme:
    return Programme.objects.create(organisation=acme, name="Local leadership fund", currency="EUR")


def make_call(programme: Programme, **overrides: Any) -> Call:
    now = timezone.now()
    values: dict[str, Any] = {
        "programme": programme,
        "organisation": programme.organisation,
        "reference": f"FSTP-{fake.unique.random_int(100, 99999)}",
        "title": {"en": "Support to local documentation", "fr": "Soutien à la documentation"},
        "text": {"en": "What the call funds."},
        "status": Call.Status.PUBLISHED,
        "activity_types": [
            {"code": "documentation", "title": {"en": "Documentation"}},
            {"code": "psychosocial", "title": {"en": "Psychosocial support"}},
        ],
        "recipient_categories": ["local_cso", "women_led", "survivor_led"],
        "countries": ["UA", "GE", "CD"],
        "legal_forms": ["ngo", "association"],
        "currency": "EUR",
        "budget": Decimal("500000"),
        "amount_min": Decimal("5000"),
        "amount_max": Decimal("60000"),
        "amount_method": Call.AmountMethod.ACTUAL_COSTS,
        "opens_at": now - timedelta(days=10),
        "closes_at": now + timedelta(days=20),
        "time_zone": "Europe/Kyiv",
    }
    values.update(overrides)
    call = Call.objects.create(**values)
    Criterion.objects.create(
        call=call,
        order=1,
        code="relevance",
        title={"en": "Relevance"},
        weight=Decimal("2"),
        threshold=Decimal("5"),
    )
    Criterion.objects.create(call=call, order=2, code="capacity", title={"en": "Capacity"})
    Criterion.objects.create(
        call=call,
        order=3,
        code="women_led",
        title={"en": "Women-led"},
        priority="women_led",
        max_score=5,
    )
    Question.objects.create(
        call=call, order=1, code="summary", prompt={"en": "Summarise the project."}, max_length=2000
    )
    Question.objects.create(
        call=call,
        order=2,
        code="staff",
        kind=Question.Kind.NUMBER,
        prompt={"en": "How many staff?"},
    )
    return call


@pytest.fixture
def open_call(programme: Programme) -> Call:
    return make_call(programme)


def make_applicant(name: str, country: str = "UA", regno: str | None = None) -> SimpleNamespace:
    org = actions.create_organisation(
        None, name=name, kind=Organisation.Kind.GRANTEE, countries=[country]
    )
    number = regno or str(fake.unique.random_number(digits=8, fix_len=True))
    entity = LegalEntity.objects.create(
        organisation=org,
        legal_name=name,
        legal_form="ngo",
        country=country,
        registration_number=number,
        identity_key=identity_key(country, number),
        categories=["local_cso"],
    )
    user = make_user(f"{org.slug}@grantee.test")
    actions.add_member(None, org, user, Role.GRANTEE)
    user.forget_memberships()
    return SimpleNamespace(org=org, entity=entity, user=user)


@pytest.fixture
def applicant(db: None) -> SimpleNamespace:
    return make_applicant("Kharkiv Women's Voices")


@pytest.fixture
def other_applicant(db: None) -> SimpleNamespace:
    return make_applicant("Tbilisi Survivors Network", country="GE")


def make_application(call: Call, entity: LegalEntity, **overrides: Any) -> Application:
    values: dict[str, Any] = {
        "call": call,
        "applicant": entity,
        "reference": f"{call.reference}-{fake.unique.random_int(1, 999999)}",
        "title": fake.sentence(nb_words=6),
        "currency": call.currency,
        "status": Application.Status.SUBMITTED,
        "submitted_at": timezone.now(),
        "requested_amount": Decimal("20000"),
    }
    values.update(overrides)
    return Application.objects.create(**values)


@pytest.fixture
def application_factory() -> Callable[..., Application]:
    return make_application
