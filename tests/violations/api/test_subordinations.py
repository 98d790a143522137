"""``/api/v1/units/{id}/subordinations`` and ``/api/v1/units/subordinations/{id}``: the dated
hierarchy through the API, its 422s naming the field and its refusals."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from justicework.violations import actions
from justicework.violations.models import UnitSubordination

from ..conftest import last_audit, make_unit
from .conftest import Api, patch, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(cast: SimpleNamespace) -> SimpleNamespace:
    brigade = make_unit(cast.acme, name="1st Brigade")
    battalion = make_unit(cast.acme, name="2nd Battalion", parent=brigade)
    theirs = make_unit(cast.beacon, name="Beacon brigade")
    return SimpleNamespace(brigade=brigade, battalion=battalion, theirs=theirs)


def test_add_list_correct_and_remove(cast, units, api: Api) -> None:
    client = api(cast.documenter)
    base = f"/api/v1/units/{units.battalion.pk}/subordinations"
    body = {"parent_id": units.brigade.pk, "valid_from": "2020-01-01", "note": "Order 3"}
    created = post(client, base, body)
    assert created.status_code == 201, created.content
    sub_id = created.json()["id"]
    assert created.json()["parent_id"] == units.brigade.pk
    assert [s["id"] for s in client.get(base).json()] == [sub_id]
    changed = patch(client, f"/api/v1/units/subordinations/{sub_id}", {"valid_to": "2023-03-31"})
    assert changed.status_code == 200 and changed.json()["note"] == "Order 3"
    assert last_audit("violations.unit.subordination_updated").diff["valid_to"][1] == "2023-03-31"
    assert client.delete(f"/api/v1/units/subordinations/{sub_id}").status_code == 204
    assert not UnitSubordination.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"valid_from": "2023-02-01", "valid_to": "2023-01-01"}, "valid_to"),
        ({"self": True}, "parent"),
    ],
)
def test_bad_periods_are_422_naming_the_field(cast, units, api: Api, body, field) -> None:
    parent = units.battalion.pk if body.pop("self", False) else units.brigade.pk
    response = post(
        api(cast.documenter),
        f"/api/v1/units/{units.battalion.pk}/subordinations",
        {"parent_id": parent, **body},
    )
    assert response.status_code == 422
    assert field in str(response.json()), response.json()
    assert not UnitSubordination.objects.exists()


def test_a_cycle_is_422_on_parent(cast, units, api: Api) -> None:
    response = post(
        api(cast.documenter),
        f"/api/v1/units/{units.brigade.pk}/subordinations",
        {"parent_id": units.battalion.pk},
    )
    assert response.status_code == 422 and "parent" in str(response.json())


def test_refusals(cast, units, api: Api) -> None:
    sub = actions.add_unit_subordination(None, units.battalion, units.brigade)
    base = f"/api/v1/units/{units.battalion.pk}/subordinations"
    viewer = api(cast.viewer)
    assert viewer.get(base).status_code == 200
    assert post(viewer, base, {"parent_id": units.brigade.pk}).status_code == 403
    assert viewer.delete(f"/api/v1/units/subordinations/{sub.pk}").status_code == 403
    outsider = api(cast.outsider)
    assert outsider.get(base).status_code == 404
    assert (
        patch(outsider, f"/api/v1/units/subordinations/{sub.pk}", {"note": "x"}).status_code == 404
    )
    theirs = post(api(cast.documenter), base, {"parent_id": units.theirs.pk})
    assert theirs.status_code == 404
    from django.test import Client

    assert Client().get(base).status_code == 401
    assert UnitSubordination.objects.filter(note="").count() == 1
