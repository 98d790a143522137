"""The violations forms (violations/forms/): each refusal lands on the field it is about."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms as django_forms
from django.utils import timezone

from justicework.violations.forms import (
    CommanderEditForm,
    GrantForm,
    IncidentFilterForm,
    IncidentForm,
    RelationForm,
    SourceForm,
    ViolationForm,
    picked_label,
    resolve_person,
    resolve_unit,
)
from justicework.violations.models import Incident, Location, Person, Unit

from ..conftest import make_unit

pytestmark = pytest.mark.django_db

# two days ahead: still in the future if the run crosses midnight after collection
TOMORROW = (timezone.localdate() + dt.timedelta(days=2)).isoformat()


def test_a_filter_period_ending_before_it_starts_is_refused_on_its_end(cast):
    form = IncidentFilterForm(
        {"date_from": "2024-02-01", "date_to": "2024-01-01"},
        units=Unit.objects.none(),
        organisations=[],
    )
    assert not form.is_valid()
    assert form.errors["date_to"] == ["The end of the period is before its start."]


def test_an_incident_place_needs_both_coordinates_and_a_country(cast):
    form = IncidentForm({"title": "Raid", "latitude": "50.1", "date_precision": "unknown"})
    assert not form.is_valid()
    assert form.errors["longitude"] == ["Give both latitude and longitude, or neither."]
    assert form.errors["country"] == ["A place needs its country."]


def test_a_violation_form_needs_the_units_involvement(cast, incident):
    unit = make_unit(cast.acme)
    form = ViolationForm(
        {"type": "torture", "date_precision": "day", "victim_outcome": "unknown", "unit": unit.pk},
        locations=Location.objects.filter(incident=incident),
        persons=Person.objects.filter(organisation=cast.acme),
        units=Unit.objects.filter(organisation=cast.acme),
    )
    assert not form.is_valid()
    assert form.errors["involvement"] == ["Say how the unit was involved."]


def test_a_victim_code_is_looked_up_only_among_the_persons_given(cast, incident, person):
    data = {"type": "torture", "date_precision": "day", "victim_outcome": "unknown"}
    form = ViolationForm(
        {**data, "victim": person.code.lower()},
        locations=Location.objects.none(),
        persons=Person.objects.none(),
        units=Unit.objects.none(),
    )
    assert not form.is_valid()
    assert "No person with the code" in form.errors["victim"][0]


def test_a_grant_must_end_after_today(cast):
    form = GrantForm(
        {"user": cast.analyst.pk, "reason": "Case", "expires_on": timezone.localdate()},
        members=[(cast.analyst.pk, "Analyst")],
    )
    assert not form.is_valid()
    assert form.errors["expires_on"] == ["Choose a day after today."]


def test_a_command_ending_before_it_starts_is_refused_on_its_end():
    form = CommanderEditForm({"start_date": "2024-02-01", "end_date": "2024-01-01"})
    assert not form.is_valid()
    assert form.errors["end_date"] == ["The end date is before the start date."]


def test_a_source_dated_in_the_future_is_refused(cast):
    data = {"kind": "witness_testimony", "title": "Interview", "reliability": "B"}
    form = SourceForm({**data, "credibility": "2", "date": TOMORROW}, targets=None)
    assert not form.is_valid()
    assert form.errors["date"] == ["The date is in the future."]


def test_units_are_resolved_by_pick_or_by_a_unique_name(cast):
    first = make_unit(cast.acme, name="Kestrel")
    make_unit(cast.acme, name="kestrel")
    units = Unit.objects.filter(organisation=cast.acme)
    assert resolve_unit(picked_label("Kestrel", first.pk), units) == first
    with pytest.raises(django_forms.ValidationError, match="Several units"):
        resolve_unit("KESTREL", units)
    with pytest.raises(django_forms.ValidationError, match="No unit called"):
        resolve_unit("Osprey", units)
    with pytest.raises(django_forms.ValidationError, match="No unit called"):
        resolve_unit(picked_label("Kestrel", first.pk), Unit.objects.none())


def test_persons_are_resolved_by_code_whatever_the_case(cast, person):
    persons = Person.objects.filter(organisation=cast.acme)
    assert resolve_person(f"  {person.code.lower()} ", persons) == person
    with pytest.raises(django_forms.ValidationError):
        resolve_person(person.code, Person.objects.filter(organisation=cast.beacon))


def test_a_related_incident_must_be_one_the_user_can_see(cast, incident, beacon_incident):
    visible = Incident.objects.filter(organisation=cast.acme)
    form = RelationForm(
        {"to_incident": f"#{beacon_incident.pk}", "kind": "precedes"}, incidents=visible
    )
    assert not form.is_valid()
    assert "that you can see" in form.errors["to_incident"][0]
    picked = RelationForm(
        {"to_incident": picked_label(incident.title, incident.pk), "kind": "precedes"},
        incidents=visible,
    )
    assert picked.is_valid(), picked.errors
    assert picked.cleaned_data["to_incident"] == incident
