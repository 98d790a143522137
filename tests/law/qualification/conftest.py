"""A small world for qualification: acme's incidents in an international armed conflict, a
non-international one and none known, with a unit that repeats the same act nearby (a pattern),
and one of beacon's violations (another organisation)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from justicework.core.models import User
from justicework.violations import actions


def _incident(admin: User, org, title: str, context: str, day: dt.date, **fields):  # type: ignore[no-untyped-def]
    return actions.create_incident(
        admin, org, title=title, context=context, country="UA", start_date=day, **fields
    )


@pytest.fixture
def world(cast: SimpleNamespace) -> SimpleNamespace:
    admin, acme = cast.admin, cast.acme
    unit = actions.create_unit(admin, acme, name="7th Brigade", kind="armed_forces")
    other_unit = actions.create_unit(admin, acme, name="Border Guard", kind="armed_forces")
    day = dt.date(2024, 3, 10)
    iac = _incident(admin, acme, "Shelling of the market", "iac", day)
    killing = actions.add_violation(admin, iac, type="killing")
    actions.add_perpetration(admin, killing, unit=unit, involvement="direct")
    torture = actions.add_violation(admin, iac, type="torture")
    niac = _incident(admin, acme, "Raid on the village", "niac", day)
    niac_killing = actions.add_violation(admin, niac, type="killing")
    quiet = _incident(admin, acme, "Arrest at the station", "none_known", day)
    rape = actions.add_violation(admin, quiet, type="rape")
    # Three more killings by the same unit within the window: a pattern for ``killing``.
    repeats = []
    for offset in (5, 20, 40):
        incident = _incident(admin, acme, f"Killing {offset}", "iac", day + dt.timedelta(offset))
        repeat = actions.add_violation(admin, incident, type="killing")
        actions.add_perpetration(admin, repeat, unit=unit, involvement="direct")
        repeats.append(repeat)
    # Not part of the pattern: another unit, another act, too late, another country.
    far = _incident(admin, acme, "Much later", "iac", day + dt.timedelta(400))
    for incident, kind, by in [
        (_incident(admin, acme, "Other unit", "iac", day), "killing", other_unit),
        (_incident(admin, acme, "Other act", "iac", day), "pillage", unit),
        (far, "killing", unit),
    ]:
        v = actions.add_violation(admin, incident, type=kind)
        actions.add_perpetration(admin, v, unit=by, involvement="direct")
    abroad = actions.create_incident(
        admin, acme, title="Abroad", context="iac", country="GE", start_date=day
    )
    v = actions.add_violation(admin, abroad, type="killing")
    actions.add_perpetration(admin, v, unit=unit, involvement="direct")
    theirs_incident = actions.create_incident(
        cast.beacon_admin, cast.beacon, title="Beacon's", context="iac", country="CD",
        start_date=day,
    )  # fmt: skip
    theirs = actions.add_violation(cast.beacon_admin, theirs_incident, type="killing")
    return SimpleNamespace(
        unit=unit, iac=iac, killing=killing, torture=torture, niac_killing=niac_killing,
        rape=rape, repeats=repeats, theirs=theirs,
    )  # fmt: skip


@pytest.fixture
def login() -> Callable[[User], Client]:
    def _login(user: User) -> Client:
        if user.requires_mfa:
            Authenticator.objects.get_or_create(
                user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
            )
        client = Client()
        client.force_login(user)
        return client

    return _login
