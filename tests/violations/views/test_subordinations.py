"""The unit page's "Part of, over time": listing, adding with pickers, correcting and removing
periods; the refusals (404 for what is not yours, a field-named error for bad input)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from justicework.violations import actions
from justicework.violations.models import UnitSubordination

from ..conftest import make_unit
from .conftest import Login, text, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(cast: SimpleNamespace) -> SimpleNamespace:
    brigade = make_unit(cast.acme, name="1st Brigade")
    other = make_unit(cast.acme, name="9th Brigade")
    battalion = make_unit(cast.acme, name="2nd Battalion", parent=brigade)
    source = actions.create_source(None, cast.acme, kind="document", title="Order of battle")
    return SimpleNamespace(brigade=brigade, other=other, battalion=battalion, source=source)


def test_a_documenter_adds_a_period_with_the_pickers(cast, units, login: Login) -> None:
    client = login(cast.documenter)
    page = text(client.get(url("unit_detail", units.battalion.pk)))
    assert "No dated period recorded" in page and 'name="valid_from"' in page
    response = client.post(
        url("subordination_add", units.battalion.pk),
        {
            "parent": f"9th Brigade [#{units.other.pk}]",
            "valid_from": "2023-04-01",
            "source": f"Order of battle [#{units.source.pk}]",
            "note": "Re-subordinated by order 12",
        },
    )
    assert response.status_code == 302
    sub = UnitSubordination.objects.get()
    assert (sub.parent, sub.valid_from, sub.source) == (
        units.other,
        dt.date(2023, 4, 1),
        units.source,
    )
    page = text(client.get(url("unit_detail", units.battalion.pk)))
    assert "9th Brigade" in page and "Re-subordinated by order 12" in page


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (
            {"parent": "1st Brigade", "valid_from": "2023-02-01", "valid_to": "2023-01-01"},
            "valid_to",
        ),
        ({"parent": "2nd Battalion"}, "parent"),
        ({"parent": "No such unit"}, "parent"),
        ({"parent": "1st Brigade", "source": "Nothing [#999999]"}, "source"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(
    cast, units, login: Login, data, field
) -> None:
    response = login(cast.documenter).post(url("subordination_add", units.battalion.pk), data)
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert not UnitSubordination.objects.exists()


def test_a_cycle_from_the_action_is_shown_on_the_parent_field(cast, units, login: Login) -> None:
    response = login(cast.documenter).post(
        url("subordination_add", units.brigade.pk), {"parent": f"x [#{units.battalion.pk}]"}
    )
    assert response.status_code == 422
    assert "part of itself" in " ".join(response.context["form"].errors["parent"])


def test_correcting_and_removing_a_period(cast, units, login: Login) -> None:
    sub = actions.add_unit_subordination(None, units.battalion, units.brigade)
    client = login(cast.documenter)
    form = text(client.get(url("subordination_edit", sub.pk)))
    assert f"1st Brigade [#{units.brigade.pk}]" in form
    response = client.post(
        url("subordination_edit", sub.pk),
        {"parent": f"1st Brigade [#{units.brigade.pk}]", "valid_to": "2023-03-31"},
    )
    assert response.status_code == 302
    sub.refresh_from_db()
    assert sub.valid_to == dt.date(2023, 3, 31)
    assert client.post(url("subordination_remove", sub.pk)).status_code == 302
    assert not UnitSubordination.objects.exists()


@pytest.mark.parametrize("who", ["viewer", "outsider", "loner"])
def test_who_may_not_change_the_unit_cannot_touch_its_periods(
    cast, units, login: Login, who
) -> None:
    sub = actions.add_unit_subordination(None, units.battalion, units.brigade)
    client = login(getattr(cast, who))
    add = client.post(url("subordination_add", units.battalion.pk), {"parent": "9th Brigade"})
    assert add.status_code in {403, 404}
    assert client.get(url("subordination_edit", sub.pk)).status_code in {403, 404}
    assert client.post(url("subordination_remove", sub.pk)).status_code in {403, 404}
    assert UnitSubordination.objects.count() == 1
    if who == "viewer":  # reads the periods, offered no form
        page = text(client.get(url("unit_detail", units.battalion.pk)))
        assert "1st Brigade" in page and 'name="valid_from"' not in page


def test_another_organisations_periods_are_404(cast, units, login: Login) -> None:
    sub = actions.add_unit_subordination(None, units.battalion, units.brigade)
    client = login(cast.beacon_admin)
    assert client.post(url("subordination_add", units.battalion.pk), {}).status_code == 404
    assert client.get(url("subordination_edit", sub.pk)).status_code == 404
    assert client.post(url("subordination_remove", sub.pk)).status_code == 404


def test_anonymous_is_sent_to_sign_in(units) -> None:
    from django.test import Client

    response = Client().post(url("subordination_add", units.battalion.pk), {})
    assert response.status_code == 302 and "login" in response["Location"]
    assert not UnitSubordination.objects.exists()
