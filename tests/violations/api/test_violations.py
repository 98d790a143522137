"""The violations API: where and to whom an act happened (a location, a victim group) by id, in
one act and in bulk, and what clearing a field with null leaves."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from justicework.violations import actions
from justicework.violations.models import Incident, Violation

from ..conftest import make_incident, make_unit, make_violation
from .conftest import Api, locs, patch, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(cast: SimpleNamespace) -> object:
    return actions.create_victim_group(
        None, cast.acme, description="Residents of the block", number_of_persons=12
    )


def test_an_act_is_placed_and_given_a_victim_group_by_id(
    cast: SimpleNamespace, api: Api, incident: Incident, group: object
) -> None:
    location = incident.locations.get()
    response = post(
        api(cast.documenter),
        "/api/v1/violations",
        {
            "incident_id": incident.pk,
            "type": "killing_in_attack",
            "location_id": location.pk,
            "victim_group_id": group.pk,  # type: ignore[attr-defined]
        },
    )
    assert response.status_code == 201, response.content
    violation = Violation.objects.get()
    assert (violation.location_id, violation.victim_group_id) == (location.pk, group.pk)  # type: ignore[attr-defined]


def test_a_location_of_another_organisations_incident_is_404_and_nothing_is_added(
    cast: SimpleNamespace, api: Api, incident: Incident
) -> None:
    theirs = make_incident(cast.beacon, locations=[{"place_name": "Goma"}]).locations.get()
    response = post(
        api(cast.documenter),
        "/api/v1/violations",
        {"incident_id": incident.pk, "type": "killing_in_attack", "location_id": theirs.pk},
    )
    assert response.status_code == 404
    assert not Violation.objects.exists()


def test_null_clears_the_place_the_group_and_the_texts_and_the_outcome_becomes_unknown(
    cast: SimpleNamespace, api: Api, incident: Incident, group: object
) -> None:
    violation = make_violation(
        incident,
        location=incident.locations.get(),
        victim_group=group,
        method="shelling",
        description="Two shells hit the market.",
        victim_outcome="deceased",
    )
    response = patch(
        api(cast.documenter),
        f"/api/v1/violations/{violation.pk}",
        {
            "location_id": None,
            "victim_group_id": None,
            "method": None,
            "description": None,
            "victim_outcome": None,
        },
    )
    assert response.status_code == 200, response.content
    violation.refresh_from_db()
    assert (violation.location_id, violation.victim_group_id) == (None, None)
    assert (violation.method, violation.description) == ("", "")
    assert violation.victim_outcome == Violation.VictimOutcome.UNKNOWN


def test_bulk_rows_name_the_victim_group_by_code_and_the_place_by_id(
    cast: SimpleNamespace, api: Api, incident: Incident, group: object
) -> None:
    location = incident.locations.get()
    response = post(
        api(cast.documenter),
        "/api/v1/violations/bulk",
        {
            "organisation_id": cast.acme.pk,
            "rows": [
                {
                    "incident_id": incident.pk,
                    "type": "killing_in_attack",
                    "victim_group_code": group.code,  # type: ignore[attr-defined]
                    "location_id": location.pk,
                }
            ],
        },
    )
    assert response.status_code == 201, response.content
    violation = Violation.objects.get()
    assert (violation.location_id, violation.victim_group_id) == (location.pk, group.pk)  # type: ignore[attr-defined]


def test_a_bulk_row_naming_an_unknown_victim_group_is_422_at_that_row(
    cast: SimpleNamespace, api: Api, incident: Incident
) -> None:
    response = post(
        api(cast.documenter),
        "/api/v1/violations/bulk",
        {
            "organisation_id": cast.acme.pk,
            "rows": [
                {"incident_id": incident.pk, "type": "killing_in_attack"},
                {
                    "incident_id": incident.pk,
                    "type": "killing_in_attack",
                    "victim_group_code": "G-NOPE",
                },
            ],
        },
    )
    assert response.status_code == 422, response.content
    assert [loc[:3] for loc in locs(response)] == [["body", "rows", 1]]
    assert not Violation.objects.exists()


@pytest.fixture
def acts(cast: SimpleNamespace) -> SimpleNamespace:
    """Four acts that each filter of the list tells apart."""
    kyiv = make_incident(cast.acme, title="Shelling of the market", country="UA")
    tbilisi = make_incident(
        cast.acme,
        title="Detention at the border",
        country="GE",
        status="verified",
        start_date=dt.date(2021, 8, 1),
        locations=[{"place_name": "Kazbegi", "country": "GE"}],
    )
    brigade = make_unit(cast.acme, name="Brigade")
    battalion = make_unit(cast.acme, name="Battalion", parent=brigade)
    early = make_violation(kyiv, start_date=dt.date(2022, 3, 1))
    late = make_violation(kyiv, start_date=dt.date(2023, 6, 1))
    placed_in_georgia = make_violation(tbilisi, location=tbilisi.locations.get())
    # An act of the Georgian incident placed in Ukraine counts for Ukraine.
    kyiv_place = actions.add_location(None, tbilisi, place_name="Kharkiv", country="UA")
    moved = make_violation(tbilisi, location=kyiv_place)
    actions.add_perpetration(None, late, unit=battalion, involvement="direct")
    return SimpleNamespace(
        early=early,
        late=late,
        georgia=placed_in_georgia,
        moved=moved,
        brigade=brigade,
    )


def listed(client: object, query: str) -> set[int]:
    response = client.get(f"/api/v1/violations?{query}")  # type: ignore[attr-defined]
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


def test_the_list_filters_by_the_country_of_the_acts_place_or_else_of_its_incident(
    cast: SimpleNamespace, api: Api, acts: SimpleNamespace
) -> None:
    client = api(cast.viewer)
    assert listed(client, "country=UA") == {acts.early.pk, acts.late.pk, acts.moved.pk}
    assert listed(client, "country=ge") == {acts.georgia.pk}


def test_the_list_filters_by_dates_status_unit_and_organisation(
    cast: SimpleNamespace, api: Api, acts: SimpleNamespace
) -> None:
    client = api(cast.viewer)
    assert listed(client, "date_from=2023-01-01") == {acts.late.pk}
    # An act without dates of its own takes its incident's (2021-08-01).
    assert listed(client, "date_to=2022-12-31") == {acts.early.pk, acts.georgia.pk, acts.moved.pk}
    assert listed(client, "status=verified") == {acts.georgia.pk, acts.moved.pk}
    assert listed(client, f"unit={acts.brigade.pk}") == {acts.late.pk}  # sub-units included
    assert len(listed(client, f"organisation={cast.acme.pk}")) == 4
    assert listed(client, f"organisation={cast.beacon.pk}") == set()


def test_the_list_filters_by_words_of_the_incident(
    cast: SimpleNamespace, api: Api, acts: SimpleNamespace
) -> None:
    assert listed(api(cast.viewer), "q=border") == {acts.georgia.pk, acts.moved.pk}


def test_reversed_dates_in_the_list_are_422_naming_the_field(
    cast: SimpleNamespace, api: Api, acts: SimpleNamespace
) -> None:
    response = api(cast.viewer).get("/api/v1/violations?date_from=2023-01-01&date_to=2022-01-01")
    assert response.status_code == 422
    assert any("date_to" in str(loc) for loc in locs(response)), response.content
