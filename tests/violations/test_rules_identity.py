"""Who may change a person's identity: the role must edit records and a need-to-know grant must be
current, and the list of persons one may change agrees with the per-person decision."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied

from justicework.core import policy
from justicework.violations import actions
from justicework.violations.models import Person

from .conftest import make_person

pytestmark = pytest.mark.django_db

CAST = [
    "admin",
    "analyst",
    "documenter",
    "coordinator",
    "officer",
    "reviewer",
    "viewer",
    "outsider",
    "beacon_admin",
    "loner",
]


def test_a_grant_without_the_right_to_edit_records_does_not_change_an_identity(
    cast: SimpleNamespace, person: Person
) -> None:
    """The support coordinator may reveal identities but not edit records."""
    actions.grant_need_to_know(None, cast.coordinator, person, reason="Referral")
    assert policy.can(cast.coordinator, "reveal_identity", person)
    decision = policy.can(cast.coordinator, "change_identity", person)
    assert not decision
    assert "role" in str(decision.reason)
    with pytest.raises(PermissionDenied):
        actions.update_person(cast.coordinator, person, full_name="Maria Rossi")
    person.refresh_from_db()
    assert person.full_name == "Олена Коваленко"


@pytest.mark.parametrize("action", ["change_identity", "reveal_identity"])
def test_the_persons_one_may_act_on_are_those_the_decision_allows(
    cast: SimpleNamespace, action: str
) -> None:
    persons = [make_person(cast.acme, full_name=f"Person {n}") for n in range(3)]
    persons.append(make_person(cast.beacon, full_name="Beacon person"))
    for name in ["admin", "documenter", "viewer", "analyst", "coordinator"]:
        actions.grant_need_to_know(None, getattr(cast, name), persons[0], reason="Case team")
    actions.grant_need_to_know(None, cast.documenter, persons[1], reason="Case team")
    actions.grant_need_to_know(None, cast.beacon_admin, persons[3], reason="Case team")
    allowed_somewhere = 0
    for name in CAST:
        user = getattr(cast, name)
        listed = set(policy.visible(user, Person, action).values_list("pk", flat=True))
        decided = {p.pk for p in persons if policy.can(user, action, p)}
        assert listed == decided, f"{name} {action}: list {listed} != decisions {decided}"
        allowed_somewhere += len(decided)
    assert allowed_somewhere >= 3  # the test compares non-empty sets too
