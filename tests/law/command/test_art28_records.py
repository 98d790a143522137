"""The art. 28 summary of a person shows, per incident and element, the case files' records
linking the incident or its violations, and per case file every element with what is recorded
(``law.command.records``); the reader sees only the records they may read."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import reverse

from justicework.core.models import Organisation, User
from justicework.law import actions_cases, actions_command
from justicework.law.command import art28, records

from .conftest import CHANGE, login
from .test_art28 import attack, summary

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(forces: SimpleNamespace, acme: Organisation, analyst: User) -> SimpleNamespace:
    violation = attack(acme, CHANGE, forces.company, "Shelling of the depot")
    case = actions_cases.create_case_file(None, acme, title="Depot", country="UA", team=[analyst])
    actions_cases.link_records(None, case, "suspect_persons", [forces.new])
    actions_cases.add_charge(None, case, crime_id="8(2)(e)(i)", mode_id="28(a)")
    knew = actions_command.add_command_record(
        analyst, case, suspect=forces.new, mode_id="28(a)", element=art28.KNOWLEDGE,
        link=violation, bearing="supports", strength="strong", note="Reports were sent to him",
    )  # fmt: skip
    return SimpleNamespace(case=case, violation=violation, knew=knew)


def test_the_incident_element_lists_the_record(forces, acme, analyst, recorded) -> None:
    found = summary(analyst, acme, forces.new.pk).incidents[0]
    by_number = {f.element.number: f for f in found.elements}
    knowledge = by_number[art28.KNOWLEDGE]
    assert not knowledge.nothing_recorded
    assert "Reports were sent to him" in knowledge.facts[0]
    assert f"#{recorded.case.pk}" in knowledge.facts[0]
    assert by_number[art28.FAILURE].nothing_recorded


def test_the_case_files_elements_are_listed_on_the_page(forces, analyst, viewer, recorded) -> None:
    groups = records.for_person(analyst, forces.new)
    assert [(g.case_id, g.mode_id) for g in groups] == [(recorded.case.pk, "28(a)")]
    assert [e.number for e in groups[0].empty_elements] == [1, 2, 3, 5, 6]
    url = reverse("law:command_art28", args=[forces.new.pk])
    text = login(analyst).get(url).content.decode()
    assert "Depot" in text and text.count("nothing recorded") == 5
    # a viewer of the organisation sees the case (unrestricted) but not after it is restricted
    actions_cases.update_case_file(None, recorded.case, restricted=True)
    assert records.for_person(viewer, forces.new) == []
    text = login(viewer).get(url).content.decode()
    assert "Reports were sent to him" not in text and "Depot" not in text
