"""A small command structure in Acme: a brigade, its battalion, the battalion's company; the
battalion's command passes from P-OLD (to 31 March 2023) to P-NEW (from 1 April 2023)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from justicework.core.models import Organisation, User
from justicework.violations import actions
from justicework.violations.models import Person, Unit

CHANGE = dt.date(2023, 4, 1)


def unit(org: Organisation, name: str, parent: Unit | None = None) -> Unit:
    return actions.create_unit(None, org, name=name, kind="armed_forces", parent=parent)


def person(org: Organisation) -> Person:
    return actions.create_person(None, org)


def command(
    u: Unit, p: Person, start: dt.date | None, end: dt.date | None, title: str = ""
) -> None:
    actions.add_unit_commander(None, u, p, title=title, start_date=start, end_date=end)


@pytest.fixture
def forces(acme: Organisation) -> SimpleNamespace:
    brigade = unit(acme, "1st Brigade")
    battalion = unit(acme, "2nd Battalion", brigade)
    company = unit(acme, "3rd Company", battalion)
    general, old, new = person(acme), person(acme), person(acme)
    command(brigade, general, dt.date(2020, 1, 1), None, "General")
    command(battalion, old, dt.date(2021, 6, 1), CHANGE - dt.timedelta(days=1), "Colonel")
    command(battalion, new, CHANGE, None, "Colonel")
    return SimpleNamespace(
        brigade=brigade, battalion=battalion, company=company, general=general, old=old, new=new
    )


def login(user: User) -> Client:
    """A client signed in as ``user`` (MFA-requiring roles get an authenticator)."""
    if user.requires_mfa:
        Authenticator.objects.get_or_create(
            user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
        )
    client = Client()
    client.force_login(user)
    return client
