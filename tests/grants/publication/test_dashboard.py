"""A programme's dashboard: the figures (money by country, category, priority and activity type
pro rata; applications and success rates by the same), who may open it (programme officers of
the programme's organisation, nobody else), and flat query counts."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from justicework.grants import dashboard
from justicework.grants.models import Application
from tests.grants.conftest import make_applicant, make_application
from tests.grants.publication.conftest import make_award, signed_in

pytestmark = pytest.mark.django_db


def rows(figures: dashboard.Dashboard, index: int) -> dict[str, tuple[Decimal, int, int]]:
    table = figures.tables[index]
    return {r.key: (r.money, r.applications, r.awarded) for r in table.rows}


@pytest.fixture
def more(world: SimpleNamespace) -> SimpleNamespace:
    """Two unsuccessful applications (Ukraine, Georgia), a draft and a withdrawn one (not
    counted)."""
    call = world.calls.decided
    lviv = make_applicant("Lviv Rural Women", "UA")
    lviv.entity.categories = ["remote_rural", "women_led"]
    lviv.entity.save()
    make_application(call, lviv.entity, status=Application.Status.REJECTED)
    make_application(call, world.applicants.tbilisi.entity, status=Application.Status.RESERVE)
    make_application(call, world.applicants.goma.entity, status=Application.Status.DRAFT)
    make_application(call, world.applicants.goma.entity, status=Application.Status.WITHDRAWN)
    return SimpleNamespace(lviv=lviv)


def test_money_and_success_by_country(world: SimpleNamespace, more: SimpleNamespace) -> None:
    figures = dashboard.build(world.programme)
    # awards of Acme's programme: 40,000 UA + 15,000 GE (decided), 10,000 CD (archived),
    # 5,000 GE (under review: the staff see it)
    assert figures.money == Decimal("70000")
    assert (figures.applications, figures.awarded) == (6, 4)
    assert figures.rate == 67
    assert rows(figures, 0) == {
        "UA": (Decimal("40000"), 2, 1),
        "GE": (Decimal("20000"), 3, 2),
        "CD": (Decimal("10000"), 1, 1),
    }
    labels = {r.key: r.label for r in figures.tables[0].rows}
    assert labels["GE"] == "Georgia"
    assert [r.bar for r in figures.tables[0].rows] == [100, 50, 25]


def test_categories_overlap_and_priorities_are_a_subset(
    world: SimpleNamespace, more: SimpleNamespace
) -> None:
    figures = dashboard.build(world.programme)
    categories = rows(figures, 1)
    assert categories["women_led"] == (Decimal("40000"), 2, 1)
    assert categories["small"] == (Decimal("40000"), 1, 1)
    assert categories["local_cso"] == (Decimal("70000"), 5, 4)  # the fixtures' default category
    priorities = rows(figures, 2)
    assert set(priorities) == {"local_cso", "women_led", "small", "remote_rural"}
    assert priorities["remote_rural"] == (Decimal("0"), 1, 0)
    rate = {r.key: r.rate for r in figures.tables[2].rows}
    assert rate["women_led"] == 50 and rate["remote_rural"] == 0


def test_activity_types_split_awards_pro_rata(world: SimpleNamespace) -> None:
    figures = dashboard.build(world.programme)
    activities = rows(figures, 3)
    # Kyiv: 40,000 with a budget of 30,000 documentation + 10,000 psychosocial;
    # Tbilisi: 15,000 all psychosocial; Goma and the award under review: no budget
    assert activities == {
        "documentation": (Decimal("30000.00"), 1, 1),
        "psychosocial": (Decimal("25000.00"), 2, 2),
        "": (Decimal("15000.00"), 2, 2),
    }
    labels = {r.key: r.label for r in figures.tables[3].rows}
    assert labels["psychosocial"] == "Psychosocial support" and labels[""] == "not stated"


def test_one_call_only(world: SimpleNamespace) -> None:
    figures = dashboard.build(world.programme, world.calls.archived)
    assert figures.money == Decimal("10000") and figures.applications == 1


def test_a_split_with_cents_adds_up(world: SimpleNamespace) -> None:
    entity = world.applicants.goma.entity
    make_award(world.calls.decided, entity, "1000", budget={"a": "1", "b": "2"})
    split = dashboard.activity_split([a.pk for a in Application.objects.all()])
    assert all(sum(shares.values()) == 1 for shares in split.values())


# --- Pages -------------------------------------------------------------------------------------


def url(world: SimpleNamespace) -> str:
    return reverse("grants:programme_dashboard", args=[world.programme.pk])


def test_programme_officer_opens_the_dashboard(cast: Any, world: SimpleNamespace) -> None:
    client = Client()
    client.force_login(cast.officer)
    response = client.get(url(world))
    assert response.status_code == 200
    text = response.content.decode()
    assert "<svg" in text and "Georgia" in text and "70,000.00" in text
    assert "cdn" not in text.lower()
    index = client.get(reverse("grants:dashboard_index"))
    assert world.programme.name in index.content.decode()
    assert world.beacon_programme.name not in index.content.decode()


@pytest.mark.parametrize("who", ["admin", "reviewer", "viewer", "outsider", "beacon_admin"])
def test_others_get_404(cast: Any, world: SimpleNamespace, who: str) -> None:
    client = signed_in(getattr(cast, who))
    assert client.get(url(world)).status_code == 404
    index = client.get(reverse("grants:dashboard_index")).content.decode()
    assert world.programme.name not in index


def test_an_applicant_gets_404(world: SimpleNamespace) -> None:
    client = Client()
    client.force_login(world.applicants.kyiv.user)
    assert client.get(url(world)).status_code == 404


def test_anonymous_is_sent_to_sign_in(world: SimpleNamespace) -> None:
    response = Client().get(url(world))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_missing_programme_is_404(cast: Any, world: SimpleNamespace) -> None:
    client = Client()
    client.force_login(cast.officer)
    missing = reverse("grants:programme_dashboard", args=[world.programme.pk + 1000])
    assert client.get(missing).status_code == 404


def test_one_call_by_picker_and_a_wrong_one_refused(cast: Any, world: SimpleNamespace) -> None:
    client = Client()
    client.force_login(cast.officer)
    chosen = client.get(url(world), {"call": "FSTP-2024-1"})
    assert chosen.status_code == 200 and chosen.context["figures"].money == Decimal("10000")
    wrong = client.get(url(world), {"call": "BJC-2025"})  # Beacon's call
    assert wrong.status_code == 400 and wrong.context["form"].errors["call"]


def test_the_dashboard_takes_as_many_queries_for_many_applications(
    cast: Any, world: SimpleNamespace
) -> None:
    client = Client()
    client.force_login(cast.officer)

    def counted() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(world)).status_code == 200
        return len(queries)

    before = counted()
    for number in range(5):
        entity = make_applicant(f"Dnipro Group {number}", "UA").entity
        make_award(world.calls.decided, entity, "1000", budget={"documentation": "1000"})
        make_application(world.calls.decided, entity, status=Application.Status.REJECTED)
    assert counted() == before
