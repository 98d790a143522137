"""Awards for the publication tests: calls of Acme's programme in every status, awards made
directly as rows (test set-up; the decision actions belong to another part), and the 360Giving
and IATI settings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from justicework.core import actions
from justicework.core.models import Organisation, User
from justicework.grants.models import Application, Award, BudgetLine, Call, LegalEntity, Programme
from tests.grants.conftest import make_applicant, make_application, make_call


@pytest.fixture(autouse=True)
def publisher(settings: Any) -> None:
    settings.GRANTS_360_PREFIX = "360G-acme"
    settings.GRANTS_ORG_ID_LISTS = ["UA=UA-EDR"]
    settings.GRANTS_IATI_ORG_REF = "XM-DAC-47000-ACME"
    settings.GRANTS_IATI_ORG_TYPE = "21"


def make_award(
    call: Call,
    entity: LegalEntity,
    amount: str = "20000",
    *,
    rate: str = "1",
    budget: dict[str, str] | None = None,
    decided: datetime | None = None,
    **fields: Any,
) -> Award:
    """An awarded application of ``entity`` to ``call`` with its award (``budget``: activity
    type -> amount in the application's currency)."""
    application = make_application(call, entity, status=Application.Status.AWARDED)
    for order, (activity, value) in enumerate((budget or {}).items()):
        BudgetLine.objects.create(
            application=application,
            order=order,
            activity_type=activity,
            cost_category=BudgetLine.CostCategory.STAFF,
            amount=Decimal(value),
        )
    values: dict[str, Any] = {
        "application": application,
        "call": call,
        "programme": call.programme,
        "legal_entity": entity,
        "amount": Decimal(amount),
        "currency": call.currency,
        "rate_to_programme": Decimal(rate),
        "amount_programme": (Decimal(amount) * Decimal(rate)).quantize(Decimal("0.01")),
        "purpose": "Documenting attacks on civilians with local partners",
        "start_date": date(2025, 3, 1),
        "end_date": date(2026, 2, 28),
        "decided_at": decided or datetime(2025, 2, 14, 10, 0, tzinfo=UTC),
    }
    values.update(fields)
    return Award.objects.create(**values)


@pytest.fixture
def world(programme: Programme, beacon: Organisation) -> SimpleNamespace:
    """A decided call (two awards, Ukraine and Georgia), an archived one (one award in Congo,
    decided in 2024), a call under review with an award recorded (never public), and a decided
    call of Beacon's programme (another organisation, public too)."""
    kyiv = make_applicant("Kharkiv Women's Voices", "UA", regno="№ 1234-5678")
    tbilisi = make_applicant("Tbilisi Survivors Network", "GE", regno="404-555")
    goma = make_applicant("Goma Justice Collective", "CD", regno="CD/GOM/2019/77")
    decided = make_call(programme, status=Call.Status.DECIDED, reference="FSTP-2025-1")
    archived = make_call(programme, status=Call.Status.ARCHIVED, reference="FSTP-2024-1")
    review = make_call(programme, status=Call.Status.UNDER_REVIEW, reference="FSTP-2025-2")
    kyiv.entity.categories = ["local_cso", "women_led", "small"]
    kyiv.entity.save()
    awards = SimpleNamespace(
        kyiv=make_award(
            decided,
            kyiv.entity,
            "40000",
            budget={"documentation": "30000", "psychosocial": "10000"},
        ),
        tbilisi=make_award(decided, tbilisi.entity, "15000", budget={"psychosocial": "15000"}),
        goma=make_award(
            archived,
            goma.entity,
            "10000",
            decided=datetime(2024, 6, 1, tzinfo=UTC),
            start_date=date(2024, 7, 1),
            end_date=date(2024, 12, 31),
        ),
        hidden=make_award(review, tbilisi.entity, "5000", purpose="Not decided yet"),
    )
    beacon_programme = Programme.objects.create(
        organisation=beacon, name="Beacon fund", currency="EUR"
    )
    beacon_call = make_call(beacon_programme, status=Call.Status.DECIDED, reference="BJC-2025")
    awards.beacon = make_award(beacon_call, goma.entity, "7000")
    return SimpleNamespace(
        programme=programme,
        beacon_programme=beacon_programme,
        calls=SimpleNamespace(decided=decided, archived=archived, review=review),
        applicants=SimpleNamespace(kyiv=kyiv, tbilisi=tbilisi, goma=goma),
        awards=awards,
    )


@pytest.fixture
def bearer() -> Callable[..., Client]:
    def make(user: User, scope: str = "read") -> Client:
        _token, secret = actions.create_token(user, name="t", scope=scope, expires_in_days=5)
        return Client(headers={"Authorization": f"Bearer {secret}"})

    return make


def signed_in(user: User) -> Client:
    """A client signed in as ``user``; roles that must use MFA get an authenticator first, so
    the MFA set-up page does not hide the page under test."""
    if user.requires_mfa:
        from allauth.mfa.models import Authenticator

        Authenticator.objects.get_or_create(
            user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
        )
    client = Client()
    client.force_login(user)
    return client
