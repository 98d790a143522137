"""Deciding a qualification: only a person, only an admin or legal analyst of the violation's
organisation, always with a note, always audited; a bad decision changes nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from justicework.audit.models import AuditEntry
from justicework.law.actions_qualifications import AUDIT_ACTION, decide_qualification
from justicework.law.catalogue import catalogue
from justicework.law.models import Qualification


def decide(user, violation, **kw):  # type: ignore[no-untyped-def]
    fields = {"decision": "accept", "crime_id": "8(2)(a)(i)", "note": "Civilians, no military aim."}
    return decide_qualification(user, violation, **{**fields, **kw})


@pytest.mark.parametrize("who", ["analyst", "admin"])
def test_an_analyst_or_admin_accepts_a_suggestion_audited(cast, world, who) -> None:
    user = getattr(cast, who)
    item = decide(user, world.killing)
    assert (item.status, item.crime_id, item.analyst, item.organisation) == (
        "accepted",
        "8(2)(a)(i)",
        user,
        cast.acme,
    )
    assert item.catalogue_version == catalogue().version
    entry = AuditEntry.objects.get(action=AUDIT_ACTION, object_id=str(item.pk))
    assert entry.actor_id == user.pk and entry.organisation_id == cast.acme.pk
    assert entry.diff["status"] == [None, "accepted"]
    assert entry.diff["note"] == "changed"  # the note's text stays out of the log
    assert entry.diff["violation"] == world.killing.pk


def test_an_edit_records_the_chosen_crime_and_the_one_it_replaces(cast, world) -> None:
    item = decide(cast.analyst, world.killing, decision="edit", new_crime_id="8(2)(b)(i)")
    assert (item.crime_id, item.suggested_crime_id, item.status) == (
        "8(2)(b)(i)",
        "8(2)(a)(i)",
        "edited",
    )


def test_a_new_decision_on_the_same_crime_replaces_the_old_one(cast, world) -> None:
    decide(cast.analyst, world.killing)
    decide(cast.admin, world.killing, decision="reject", note="No link to the conflict shown.")
    item = Qualification.objects.get(violation=world.killing)
    assert (item.status, item.analyst) == ("rejected", cast.admin)
    assert AuditEntry.objects.filter(action=AUDIT_ACTION).count() == 2


def test_a_proposal_is_recorded_as_proposed(cast, world) -> None:
    assert (
        decide(cast.analyst, world.torture, decision="propose", crime_id="cat-1").status
        == "proposed"
    )


def test_the_platform_never_decides_on_its_own(cast, world) -> None:
    with pytest.raises(PermissionDenied, match="never by the system"):
        decide(None, world.killing)
    assert not Qualification.objects.exists()


@pytest.mark.parametrize(
    "who", ["documenter", "viewer", "coordinator", "outsider", "beacon_admin", "loner"]
)
def test_others_may_not_decide(cast, world, who) -> None:
    with pytest.raises(PermissionDenied):
        decide(getattr(cast, who), world.killing)
    assert not Qualification.objects.exists()
    assert not AuditEntry.objects.filter(action=AUDIT_ACTION).exists()


def test_an_admin_may_not_decide_on_another_organisations_violation(cast, world) -> None:
    with pytest.raises(PermissionDenied):
        decide(cast.admin, world.theirs)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"note": "  "}, "note"),
        ({"note": "x" * 4001}, "note"),
        ({"crime_id": "8(2)(z)"}, "crime_id"),
        ({"decision": "qualify"}, "decision"),
        ({"decision": "edit"}, "new_crime_id"),
        ({"decision": "edit", "new_crime_id": "8(2)(a)(i)"}, "new_crime_id"),
        ({"decision": "edit", "new_crime_id": "9(9)"}, "new_crime_id"),
        ({"new_crime_id": "8(2)(b)(i)"}, "new_crime_id"),
    ],
)
def test_a_bad_decision_names_the_field_and_changes_nothing(cast, world, fields, field) -> None:
    with pytest.raises(ValidationError) as caught:
        decide(cast.analyst, world.killing, **fields)
    assert field in caught.value.message_dict
    assert not Qualification.objects.exists()
    assert not AuditEntry.objects.filter(action=AUDIT_ACTION).exists()
