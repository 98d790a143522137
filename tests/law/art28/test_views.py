"""The case's art. 28 page (every element, those with nothing recorded said plainly), the form
adding a record with pickers, removal, and the refusals (404 for what is not yours)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from justicework.law import actions_cases
from justicework.law.models import CommandElementRecord

from .conftest import add

pytestmark = pytest.mark.django_db


def page(art28: SimpleNamespace) -> str:
    return reverse("law:case_art28", args=[art28.case.pk])


def form(art28: SimpleNamespace, mode: str = "28(a)") -> str:
    return reverse("law:command_record_add", args=[art28.case.pk]) + f"?mode={mode}"


def test_the_page_lists_every_element_and_says_which_have_nothing(cast, art28, login) -> None:
    add(art28, note="Radio intercepts show reports reached him")
    text = login(cast.viewer).get(page(art28)).content.decode()
    # two suspects and two modes: 28(a) has six elements, 28(b) five; one has a record
    assert text.count("Nothing recorded for this element.") == 2 * 6 + 2 * 5 - 1
    assert "Radio intercepts show reports reached him" in text
    assert "5 elements have nothing recorded." in text
    assert "Record a fact or evidence" not in text  # a viewer changes nothing


def test_an_analyst_adds_a_record_with_the_pickers(cast, art28, login) -> None:
    client = login(cast.analyst)
    shown = client.get(form(art28) + f"&suspect=person-{art28.commander.pk}&element=5")
    body = shown.content.decode()
    assert f'value="person-{art28.commander.pk}" selected' in body
    assert 'value="5" selected' in body and f'value="incident-{art28.incident.pk}"' in body
    response = client.post(
        form(art28),
        {
            "mode": "28(a)",
            "suspect": f"unit-{art28.unit.pk}",
            "element": "5",
            "record": f"item-{art28.item.pk}",
            "bearing": "supports",
            "strength": "strong",
            "concerns_from": "2023-05-01",
            "note": "No inquiry was opened",
        },
    )
    assert response.status_code == 302
    rec = CommandElementRecord.objects.get()
    assert (rec.suspect_unit, rec.element, rec.item, rec.strength) == (
        art28.unit,
        5,
        art28.item,
        "strong",
    )
    assert "No inquiry was opened" in client.get(page(art28)).content.decode()


@pytest.mark.parametrize(
    ("data", "label"),
    [
        ({"concerns_from": "2023-05-02", "concerns_to": "2023-05-01"}, "Concerns to"),
        ({"concerns_from": "yesterday"}, "Concerns from"),
        ({"element": "9"}, "Element"),
        ({"record": ""}, "Fact or evidence"),
        ({"suspect": ""}, "Suspect"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(cast, art28, login, data, label) -> None:
    posted = {
        "mode": "28(a)",
        "suspect": f"person-{art28.commander.pk}",
        "element": "4",
        "record": f"incident-{art28.incident.pk}",
        "bearing": "supports",
        "strength": "weak",
        **data,
    }
    response = login(cast.analyst).post(form(art28), posted)
    assert response.status_code == 422
    assert f"{label}:" in response.content.decode()
    assert not CommandElementRecord.objects.exists()


def test_removing_a_record(cast, art28, login) -> None:
    rec = add(art28)
    url = reverse("law:command_record_remove", args=[rec.pk])
    assert login(cast.viewer).post(url).status_code == 403
    assert login(cast.analyst).post(url).status_code == 302
    assert not CommandElementRecord.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "beacon_admin", "loner"])
def test_another_organisation_gets_404(cast, art28, login, who) -> None:
    rec = add(art28)
    client = login(getattr(cast, who))
    assert client.get(page(art28)).status_code == 404
    assert client.get(form(art28)).status_code == 404
    remove = reverse("law:command_record_remove", args=[rec.pk])
    assert client.post(remove).status_code == 404
    assert CommandElementRecord.objects.exists()


def test_a_restricted_case_not_on_the_team_is_404(cast, art28, login) -> None:
    add(art28)
    actions_cases.update_case_file(None, art28.case, restricted=True)
    assert login(cast.viewer).get(page(art28)).status_code == 404
    assert login(cast.analyst).get(page(art28)).status_code == 200  # on the team


def test_anonymous_is_sent_to_sign_in(art28) -> None:
    response = Client().get(page(art28))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_viewer_is_refused_the_form_and_an_unknown_mode_is_404(cast, art28, login) -> None:
    assert login(cast.viewer).get(form(art28)).status_code in {403, 404}
    assert login(cast.analyst).get(form(art28, "25(3)(a)-direct")).status_code == 404


def test_records_on_what_the_reader_may_not_see_are_left_out(cast, art28, login) -> None:
    add(art28, link=art28.secret, note="About the secret raid")
    add(art28, element=3, note="Seen by everyone")
    text = login(cast.viewer).get(page(art28)).content.decode()
    assert "Seen by everyone" in text and "About the secret raid" not in text
    assert "About the secret raid" in login(cast.admin).get(page(art28)).content.decode()


def test_the_page_costs_the_same_queries_with_more_records(
    cast, art28, login, django_assert_num_queries
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(cast.analyst)
    for link in (art28.incident, art28.violation, art28.item, art28.source):
        add(art28, link=link)
    add(art28, suspect=art28.unit, mode_id="28(b)", element=2)
    client.get(page(art28))
    with CaptureQueriesContext(connection) as few:
        client.get(page(art28))
    for element in (3, 5, 6):
        for link in (art28.incident, art28.violation, art28.item, art28.source):
            add(art28, element=element, link=link)
            add(art28, suspect=art28.unit, mode_id="28(b)", element=element - 1, link=link)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(page(art28))
