"""The units API: the list's filters, reading one unit, what another organisation sees, and a
commander's title and removal."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from justicework.core import actions as core_actions
from justicework.core.roles import Role
from justicework.violations import actions
from justicework.violations.models import Unit, UnitCommander

from ..conftest import last_audit, make_person, make_unit
from .conftest import Api, patch, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(cast: SimpleNamespace) -> SimpleNamespace:
    brigade = make_unit(cast.acme, name="Brigade", kind="armed_forces")
    police = make_unit(cast.acme, name="Riot police", kind="police")
    theirs = make_unit(cast.beacon, name="Beacon brigade", kind="armed_forces")
    return SimpleNamespace(brigade=brigade, police=police, theirs=theirs)


def names(response: object) -> list[str]:
    return [item["name"] for item in response.json()["items"]]  # type: ignore[attr-defined]


def test_the_list_filters_by_organisation_and_kind(
    cast: SimpleNamespace, api: Api, units: SimpleNamespace
) -> None:
    core_actions.add_member(None, cast.beacon, cast.viewer, Role.VIEWER)
    cast.viewer.forget_memberships()
    client = api(cast.viewer)
    assert names(client.get(f"/api/v1/units?organisation={cast.beacon.pk}")) == ["Beacon brigade"]
    assert names(client.get("/api/v1/units?kind=police")) == ["Riot police"]
    assert names(client.get(f"/api/v1/units?organisation={cast.acme.pk}&kind=armed_forces")) == [
        "Brigade"
    ]
    assert len(names(client.get("/api/v1/units"))) == 3


def test_a_member_lists_only_the_units_of_their_organisation(
    cast: SimpleNamespace, api: Api, units: SimpleNamespace
) -> None:
    assert names(api(cast.viewer).get("/api/v1/units")) == ["Brigade", "Riot police"]
    assert names(api(cast.outsider).get("/api/v1/units")) == ["Beacon brigade"]


def test_one_unit_is_read_by_its_organisation_and_hidden_from_others(
    cast: SimpleNamespace, api: Api, units: SimpleNamespace
) -> None:
    response = api(cast.viewer).get(f"/api/v1/units/{units.brigade.pk}")
    assert response.status_code == 200
    assert response.json()["name"] == "Brigade"
    assert api(cast.outsider).get(f"/api/v1/units/{units.brigade.pk}").status_code == 404
    assert api(cast.viewer).get(f"/api/v1/units/{units.theirs.pk}").status_code == 404


def test_a_parent_of_another_organisation_is_404_and_nothing_is_created(
    cast: SimpleNamespace, api: Api, units: SimpleNamespace
) -> None:
    response = post(
        api(cast.documenter),
        "/api/v1/units",
        {
            "organisation_id": cast.acme.pk,
            "name": "Battalion",
            "kind": "armed_forces",
            "parent_id": units.theirs.pk,
        },
    )
    assert response.status_code == 404
    assert not Unit.objects.filter(name="Battalion").exists()


def test_clearing_the_parent_and_the_country_with_null(
    cast: SimpleNamespace, api: Api, units: SimpleNamespace
) -> None:
    child = make_unit(cast.acme, name="Battalion", parent=units.brigade, country="UA")
    response = patch(
        api(cast.documenter), f"/api/v1/units/{child.pk}", {"parent_id": None, "country": None}
    )
    assert response.status_code == 200, response.content
    child.refresh_from_db()
    assert (child.parent_id, child.country) == (None, "")
    assert last_audit("violations.unit.updated").object_id == str(child.pk)


def test_a_viewer_cannot_change_a_unit(
    cast: SimpleNamespace, api: Api, units: SimpleNamespace
) -> None:
    response = patch(api(cast.viewer), f"/api/v1/units/{units.brigade.pk}", {"name": "Renamed"})
    assert response.status_code == 403
    units.brigade.refresh_from_db()
    assert units.brigade.name == "Brigade"


def test_a_null_title_leaves_the_commanders_title_and_removal_is_audited(
    cast: SimpleNamespace, api: Api, units: SimpleNamespace
) -> None:
    commander = make_person(cast.acme, full_name="Ivan Petrenko")
    command = actions.add_unit_commander(None, units.brigade, commander, title="Colonel")
    client = api(cast.documenter)
    response = patch(client, f"/api/v1/units/commanders/{command.pk}", {"title": None})
    assert response.status_code == 200, response.content
    command.refresh_from_db()
    assert command.title == "Colonel"
    assert api(cast.outsider).delete(f"/api/v1/units/commanders/{command.pk}").status_code == 404
    assert client.delete(f"/api/v1/units/commanders/{command.pk}").status_code == 204
    assert not UnitCommander.objects.exists()
    assert last_audit("violations.unit.commander_removed").object_id == str(command.pk)
