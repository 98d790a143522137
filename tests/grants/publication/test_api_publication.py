"""``/api/v1/grants/publication``: the published list for any signed-in user (anonymous: 401;
the public files serve visitors), the dashboard figures for the programme's officers only."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

LIST = "/api/v1/grants/publication/awards"


def dashboard_url(world: SimpleNamespace) -> str:
    return f"/api/v1/grants/publication/programmes/{world.programme.pk}/dashboard"


def test_anonymous_gets_401(world: SimpleNamespace) -> None:
    assert Client().get(LIST).status_code == 401
    assert Client().get(dashboard_url(world)).status_code == 401


def test_a_signed_in_user_lists_published_awards(
    cast: Any, world: SimpleNamespace, bearer: Callable[..., Client]
) -> None:
    response = bearer(world.applicants.goma.user).get(LIST, {"limit": 2})
    assert response.status_code == 200
    data = response.json()
    assert len(data["items"]) == 2 and data["next_cursor"]
    first = data["items"][0]
    assert set(first) >= {"grant_id", "recipient_id", "recipient_name", "amount", "award_date"}
    rest = bearer(cast.viewer).get(LIST, {"limit": 2, "cursor": data["next_cursor"]}).json()
    seen = {i["id"] for i in data["items"]} | {i["id"] for i in rest["items"]}
    assert world.awards.hidden.pk not in seen and len(seen) == 4


@pytest.mark.parametrize(
    ("query", "field"), [({"country": "Ukraine"}, "country"), ({"year": "12"}, "year")]
)
def test_bad_filters_are_422_naming_the_field(
    cast: Any, world: SimpleNamespace, bearer: Callable[..., Client], query: Any, field: str
) -> None:
    response = bearer(cast.viewer).get(LIST, query)
    assert response.status_code == 422
    assert field in str(response.json()["detail"])


def test_officer_reads_the_dashboard(
    cast: Any, world: SimpleNamespace, bearer: Callable[..., Client]
) -> None:
    response = bearer(cast.officer).get(dashboard_url(world))
    assert response.status_code == 200, response.content
    data = response.json()
    assert Decimal(data["money"]) == Decimal("70000") and data["currency"] == "EUR"
    assert [len(t["rows"]) for t in data["tables"]] == [3, 3, 3, 3]
    one = bearer(cast.officer).get(dashboard_url(world), {"call": "FSTP-2024-1"}).json()
    assert Decimal(one["money"]) == Decimal("10000") and one["call"] == "FSTP-2024-1"


def test_a_call_of_another_programme_is_422(
    cast: Any, world: SimpleNamespace, bearer: Callable[..., Client]
) -> None:
    response = bearer(cast.officer).get(dashboard_url(world), {"call": "BJC-2025"})
    assert response.status_code == 422 and "call" in str(response.json()["detail"])


@pytest.mark.parametrize("who", ["admin", "reviewer", "viewer", "outsider", "beacon_admin"])
def test_others_get_404(
    cast: Any, world: SimpleNamespace, bearer: Callable[..., Client], who: str
) -> None:
    assert bearer(getattr(cast, who)).get(dashboard_url(world)).status_code == 404


def test_an_applicant_gets_404(world: SimpleNamespace, bearer: Callable[..., Client]) -> None:
    response = bearer(world.applicants.kyiv.user).get(dashboard_url(world))
    assert response.status_code == 404
