"""Fixtures of the money part: an award of the cast's programme (Acme) to an applicant, with
a budget of two lines; a programme officer of another organisation (Beacon)."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from justicework.core import actions
from justicework.core.models import Organisation, User
from justicework.core.roles import Role
from justicework.grants.models import Award, BudgetLine, Call, LegalEntity
from tests.conftest import make_user
from tests.grants.conftest import make_application


def make_award(
    call: Call, entity: LegalEntity, amount: str = "40000", language: str = "en"
) -> Award:
    application = make_application(call, entity, language=language, status="awarded")
    for order, (activity, category, value) in enumerate(
        [("documentation", "staff", "30000"), ("psychosocial", "events", "10000")]
    ):
        BudgetLine.objects.create(
            application=application, order=order, activity_type=activity,
            cost_category=category, amount=Decimal(value),
        )  # fmt: skip
    return Award.objects.create(
        application=application, call=call, programme=call.programme, legal_entity=entity,
        amount=Decimal(amount), currency=call.currency, amount_programme=Decimal(amount),
        purpose="Documentation of attacks on civilians and support to survivors",
    )  # fmt: skip


@pytest.fixture
def award(open_call: Call, applicant: SimpleNamespace) -> Award:
    return make_award(open_call, applicant.entity)


@pytest.fixture
def beacon_officer(beacon: Organisation) -> User:
    user = make_user("officer@beacon.test")
    actions.add_member(None, beacon, user, Role.PROGRAMME_OFFICER)
    user.forget_memberships()
    return user
