"""The policy on qualifications: seen and decided by the organisation's admins and legal
analysts only, and never through a restricted incident the user may not open."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from justicework.core import policy
from justicework.law.actions_qualifications import decide_qualification
from justicework.law.models import Qualification
from justicework.law.rules_qualifications import QUALIFY
from justicework.violations import actions


@pytest.fixture
def decided(cast, world) -> Qualification:  # type: ignore[no-untyped-def]
    return decide_qualification(
        cast.analyst, world.killing, decision="accept", crime_id="8(2)(a)(i)", note="Shown."
    )


@pytest.mark.parametrize("who", ["analyst", "admin"])
def test_admins_and_analysts_see_and_may_qualify(cast, decided, who) -> None:
    user = getattr(cast, who)
    assert list(policy.visible(user, Qualification)) == [decided]
    assert policy.can(user, "view", decided)
    assert policy.can(user, QUALIFY, cast.acme)


@pytest.mark.parametrize(
    "who",
    [
        "documenter",
        "viewer",
        "coordinator",
        "officer",
        "reviewer",
        "outsider",
        "beacon_admin",
        "loner",
    ],
)
def test_everyone_else_is_denied(cast, decided, who) -> None:
    user = getattr(cast, who)
    assert list(policy.visible(user, Qualification)) == []
    assert not policy.can(user, "view", decided)
    assert not policy.can(user, QUALIFY, cast.acme)


def test_a_restricted_incident_hides_its_qualifications(cast) -> None:
    incident = actions.create_incident(
        cast.admin, cast.acme, title="Restricted", context="iac", country="UA",
        start_date=dt.date(2024, 1, 1), sensitivity="restricted",
    )  # fmt: skip
    violation = actions.add_violation(cast.admin, incident, type="torture")
    item = decide_qualification(
        cast.admin, violation, decision="accept", crime_id="7(1)(f)", note="Shown."
    )
    assert list(policy.visible(cast.admin, Qualification)) == [item]
    assert list(policy.visible(cast.analyst, Qualification)) == []  # no need-to-know grant
    assert not policy.can(cast.analyst, "view", item)
    with pytest.raises(PermissionDenied):
        decide_qualification(
            cast.analyst, violation, decision="reject", crime_id="7(1)(f)", note="No."
        )
