"""The art. 28 summary: subordinate units resolved on each incident's date, the violations
attributed to them, the material linked, and the elements with nothing recorded."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from justicework.core.models import Organisation, User
from justicework.law.command import art28, chain
from justicework.law.command.chain import Cover
from justicework.violations import actions
from justicework.violations.models import Incident, Unit, Violation

from .conftest import CHANGE

pytestmark = pytest.mark.django_db


def attack(org: Organisation, on: dt.date | None, by: Unit, title: str) -> Violation:
    dates = {"start_date": on} if on else {"date_precision": "unknown"}
    incident = actions.create_incident(None, org, title=title, country="UA", **dates)
    violation = actions.add_violation(None, incident, type="killing_in_attack")
    actions.add_perpetration(None, violation, involvement="direct", unit=by)
    return violation


def summary(user: User, org: Organisation, person_id: int) -> art28.Summary:
    return art28.summarise(user, chain.load_hierarchy(user, org.pk), person_id)


def test_subordinates_are_resolved_on_the_incident_date(
    forces: SimpleNamespace, acme: Organisation, analyst: User
) -> None:
    attack(acme, CHANGE - dt.timedelta(days=1), forces.company, "Before the change")
    attack(acme, CHANGE, forces.company, "On the day of the change")
    old = summary(analyst, acme, forces.old.pk)
    new = summary(analyst, acme, forces.new.pk)
    assert [s.title for s in old.incidents] == ["Before the change"]
    assert [s.title for s in new.incidents] == ["On the day of the change"]
    only = new.incidents[0]
    assert only.units == {forces.company.pk: "3rd Company"}
    assert [(a.unit_name, a.violation_type) for a in only.attributed] == [
        ("3rd Company", "killing_in_attack")
    ]
    # the general commands the brigade throughout: both incidents are under them
    assert len(summary(analyst, acme, forces.general.pk).incidents) == 2


def test_elements_say_what_is_recorded_and_what_is_not(
    forces: SimpleNamespace, acme: Organisation, analyst: User
) -> None:
    attack(acme, CHANGE, forces.battalion, "Shelling")
    found = summary(analyst, acme, forces.new.pk).incidents[0]
    names = [f.element.number for f in found.elements]
    assert names == [art28.CONTROL, art28.KNOWLEDGE, art28.FAILURE, art28.CAUSATION]
    control, knowledge, failure, causation = found.elements
    assert "2nd Battalion" in control.facts[0] and not control.nothing_recorded
    assert knowledge.nothing_recorded and failure.nothing_recorded
    assert causation.nothing_recorded and "resulted from" in causation.element.text
    assert "should have known" in knowledge.element.text


def test_sources_linked_to_incident_or_violation_are_listed_once(
    forces: SimpleNamespace, acme: Organisation, analyst: User
) -> None:
    violation = attack(acme, CHANGE, forces.battalion, "Shelling")
    incident = violation.incident
    actions.create_source(
        None,
        acme,
        kind="testimony",
        title="Witness W-1",
        incidents=[incident],
        violations=[violation],
    )
    actions.create_source(None, acme, kind="document", title="Order 12", violations=[violation])
    found = summary(analyst, acme, forces.new.pk).incidents[0]
    assert sorted(m.title for m in found.material) == ["Order 12", "Witness W-1"]


def test_units_outside_the_command_and_undated_incidents(
    forces: SimpleNamespace, acme: Organisation, analyst: User
) -> None:
    stranger = actions.create_unit(None, acme, name="Militia", kind="armed_group")
    attack(acme, CHANGE, stranger, "Not theirs")
    attack(acme, None, forces.company, "Undated")
    result = summary(analyst, acme, forces.new.pk)
    assert result.incidents == []
    assert [title for _pk, title in result.undated] == ["Undated"]


def test_month_precision_across_the_change_is_possible_for_both(
    forces: SimpleNamespace, acme: Organisation, analyst: User
) -> None:
    incident = actions.create_incident(
        None,
        acme,
        title="Some day in April",
        start_date=dt.date(2023, 3, 1),
        date_precision="month",
    )
    violation = actions.add_violation(None, incident, type="killing_in_attack")
    actions.add_perpetration(None, violation, involvement="direct", unit=forces.company)
    old = summary(analyst, acme, forces.old.pk).incidents[0]
    assert old.last == dt.date(2023, 3, 31)
    assert [a for _c, a in old.commands] == [Cover.YES]
    incident.start_date = dt.date(2023, 4, 1)
    Incident.objects.filter(pk=incident.pk).update(
        start_date=dt.date(2023, 3, 15), end_date=dt.date(2023, 4, 15), date_precision="range"
    )
    assert [a for _c, a in summary(analyst, acme, forces.old.pk).incidents[0].commands] == [
        Cover.MAYBE
    ]
    assert [a for _c, a in summary(analyst, acme, forces.new.pk).incidents[0].commands] == [
        Cover.MAYBE
    ]


def test_restricted_incident_is_left_out_for_a_reader_without_access(
    forces: SimpleNamespace, acme: Organisation, viewer: User, admin: User
) -> None:
    violation = attack(acme, CHANGE, forces.company, "Restricted raid")
    Incident.objects.filter(pk=violation.incident_id).update(sensitivity="restricted")
    assert summary(viewer, acme, forces.new.pk).incidents == []
    assert len(summary(admin, acme, forces.new.pk).incidents) == 1
