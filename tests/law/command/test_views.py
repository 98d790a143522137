"""The command pages: who may open them (the policy's ``view`` of the unit or person, i.e.
``record.view`` in its organisation, as the violations unit pages), what they show, bad input."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from justicework.core.models import Organisation, User
from justicework.violations import actions

from .conftest import CHANGE, login
from .test_art28 import attack

pytestmark = pytest.mark.django_db

READERS = ["admin", "analyst", "documenter", "viewer", "coordinator"]
#: roles without ``record.view`` (programme officer, reviewer) and other organisations
REFUSED = ["officer", "reviewer", "outsider", "beacon_admin", "loner"]


def pages(forces: SimpleNamespace) -> list[str]:
    return [
        reverse("law:command_unit_chain", args=[forces.company.pk]),
        reverse("law:command_pattern", args=[forces.brigade.pk]),
        reverse("law:command_person_chain", args=[forces.new.pk]),
        reverse("law:command_art28", args=[forces.new.pk]),
    ]


@pytest.mark.parametrize("who", READERS)
def test_readers_of_records_may_open_every_page(
    who: str, forces: SimpleNamespace, cast: SimpleNamespace
) -> None:
    client = login(getattr(cast, who))
    for path in pages(forces):
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize("who", REFUSED)
def test_others_get_404_on_every_page(
    who: str, forces: SimpleNamespace, cast: SimpleNamespace
) -> None:
    client = login(getattr(cast, who))
    for path in pages(forces):
        assert client.get(path).status_code == 404, path


def test_anonymous_is_sent_to_sign_in(forces: SimpleNamespace) -> None:
    response = Client().get(pages(forces)[0])
    assert response.status_code == 302


def test_unit_chain_page_across_the_change(forces: SimpleNamespace, analyst: User) -> None:
    client = login(analyst)
    path = reverse("law:command_unit_chain", args=[forces.company.pk])
    before = client.get(
        path, {"date": (CHANGE - dt.timedelta(days=1)).isoformat()}
    ).content.decode()
    after = client.get(path, {"date": CHANGE.isoformat()}).content.decode()
    assert forces.old.code in before and forces.new.code not in before
    assert forces.new.code in after and forces.old.code not in after
    assert "not recorded (unknown, which does not mean there was none)" in after
    tree = before.split('class="command-chain"', 1)[1]
    assert tree.index("1st Brigade") < tree.index("2nd Battalion") < tree.index("3rd Company")


def test_bad_date_is_refused_naming_it(forces: SimpleNamespace, analyst: User) -> None:
    client = login(analyst)
    path = reverse("law:command_unit_chain", args=[forces.company.pk])
    response = client.get(path, {"date": "31/03/2023"})
    assert response.status_code == 400
    assert "is not a date" in response.content.decode()
    pattern = reverse("law:command_pattern", args=[forces.brigade.pk])
    response = client.get(pattern, {"from": "2023-05-01", "to": "2023-01-01"})
    assert response.status_code == 400
    assert "before its start" in response.content.decode()


def test_person_page_lists_two_units_by_code_only(
    forces: SimpleNamespace, acme: Organisation, analyst: User
) -> None:
    named = actions.create_person(None, acme, full_name="Ivan Secretname")
    militia = actions.create_unit(None, acme, name="Local Militia", kind="armed_group")
    actions.add_unit_commander(None, militia, named, start_date=CHANGE)
    actions.add_unit_commander(None, forces.company, named, start_date=CHANGE)
    page = login(analyst).get(
        reverse("law:command_person_chain", args=[named.pk]), {"date": "2023-05-01"}
    )
    text = page.content.decode()
    assert "Local Militia" in text and "3rd Company" in text
    assert named.code in text
    assert "Secretname" not in text
    before = login(analyst).get(
        reverse("law:command_person_chain", args=[named.pk]), {"date": "2023-03-31"}
    )
    assert "No command of this person is recorded for this date." in before.content.decode()


def test_art28_page_states_missing_elements(
    forces: SimpleNamespace, acme: Organisation, viewer: User
) -> None:
    attack(acme, CHANGE, forces.company, "Shelling of the depot")
    text = login(viewer).get(reverse("law:command_art28", args=[forces.new.pk])).content.decode()
    assert "Shelling of the depot" in text and "3rd Company" in text
    assert text.count("Nothing recorded for this element.") == 3
    assert "suspect under art. 28 in no case file that you may open" in text


def test_pattern_page_has_chart_table_and_map(
    forces: SimpleNamespace, acme: Organisation, documenter: User
) -> None:
    incident = actions.create_incident(
        None,
        acme,
        title="Raid",
        start_date=CHANGE,
        locations=[{"country": "UA", "place_name": "Izium", "latitude": 49.2, "longitude": 37.3}],
    )
    violation = actions.add_violation(None, incident, type="killing_in_attack")
    actions.add_perpetration(None, violation, involvement="direct", unit=forces.company)
    response = login(documenter).get(reverse("law:command_pattern", args=[forces.brigade.pk]))
    body = response.content.decode()
    assert "Izium" in body and f"/incidents/{incident.pk}/" in body
    assert "<svg" in body and "<table" in body and 'id="incident-map"' in body
    assert "leaflet.js" in body and "https://" not in body.split("<main")[-1].split("</main>")[0]


def test_pages_render_right_to_left_in_arabic(
    forces: SimpleNamespace, acme: Organisation, analyst: User
) -> None:
    attack(acme, CHANGE, forces.company, "Shelling")
    client = login(analyst)
    for path in pages(forces):
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="ar")
        assert response.status_code == 200, path
        assert 'dir="rtl"' in response.content.decode(), path


def test_chart_numbers_are_not_localised(
    forces: SimpleNamespace, acme: Organisation, analyst: User
) -> None:
    """SVG coordinates stay "12.5", not "12,5" or Arabic digits, in every language."""
    attack(acme, CHANGE, forces.company, "A")
    attack(acme, CHANGE, forces.battalion, "B")
    attack(acme, dt.date(2023, 5, 1), forces.company, "C")
    path = reverse("law:command_pattern", args=[forces.brigade.pk])
    for language in ["fr", "ar"]:
        body = login(analyst).get(path, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        svg = body.split("<svg", 1)[1].split("</svg>", 1)[0]
        assert 'height="40.0"' in svg, language


def test_unit_and_person_pages_link_to_the_command_pages(
    forces: SimpleNamespace, acme: Organisation, viewer: User
) -> None:
    client = login(viewer)
    unit_page = client.get(reverse("violations:unit_detail", args=[forces.company.pk]))
    assert reverse("law:command_pattern", args=[forces.company.pk]) in unit_page.content.decode()
    person_page = client.get(reverse("violations:person_detail", args=[forces.new.pk]))
    assert reverse("law:command_art28", args=[forces.new.pk]) in person_page.content.decode()
    nobody = actions.create_person(None, acme)  # commands nothing: no section
    page = client.get(reverse("violations:person_detail", args=[nobody.pk])).content.decode()
    assert 'id="command-responsibility"' not in page
