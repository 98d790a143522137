"""The qualification page of a violation: suggestions with reasons and the decision form for
the organisation's admins and legal analysts; refused to the others; its link on the
violation's page only for them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from justicework.law.actions_qualifications import decide_qualification
from justicework.law.models import Qualification


def page(violation) -> str:  # type: ignore[no-untyped-def]
    return reverse("law:violation_qualification", args=[violation.pk])


def decide_url(violation) -> str:  # type: ignore[no-untyped-def]
    return reverse("law:violation_qualification_decide", args=[violation.pk])


@pytest.mark.parametrize("who", ["analyst", "admin"])
def test_the_page_shows_suggestions_reasons_and_elements(cast, world, login, who) -> None:
    response = login(getattr(cast, who)).get(page(world.killing))
    assert response.status_code == 200
    html = response.content.decode()
    assert "8(2)(a)(i)" in html and "Crime against humanity of murder" in html
    assert "widespread or systematic" in html
    assert "3 other incidents" in html
    assert "Not suggested in the recorded context" in html and "8(2)(c)(i)-1" in html
    assert "still to be established" in html


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("documenter", 403),
        ("viewer", 403),
        ("coordinator", 403),
        ("outsider", 404),
        ("beacon_admin", 404),
    ],
)
def test_others_may_not_open_the_page(cast, world, login, who, status) -> None:
    assert login(getattr(cast, who)).get(page(world.killing)).status_code == status


def test_anonymous_visitors_are_sent_to_sign_in(client, world) -> None:
    assert client.get(page(world.killing)).status_code == 302


def test_an_analyst_accepts_with_a_note(cast, world, login) -> None:
    response = login(cast.analyst).post(
        decide_url(world.killing),
        {"decision": "accept", "crime_id": "8(2)(a)(i)", "note": "Shown."},
    )
    assert response.status_code == 302
    item = Qualification.objects.get()
    assert (item.crime_id, item.status, item.analyst) == ("8(2)(a)(i)", "accepted", cast.analyst)
    html = login(cast.analyst).get(page(world.killing)).content.decode()
    assert "Decided: Accepted" in html


def test_an_analyst_replaces_a_suggestion(cast, world, login) -> None:
    fields = {"decision": "edit", "crime_id": "8(2)(a)(i)", "new_crime_id": "8(2)(b)(i)"}
    login(cast.analyst).post(decide_url(world.killing), {**fields, "note": "Attack."})
    assert Qualification.objects.get().crime_id == "8(2)(b)(i)"


def test_a_decision_without_a_note_is_refused_and_says_why(cast, world, login) -> None:
    response = login(cast.analyst).post(
        decide_url(world.killing), {"decision": "accept", "crime_id": "8(2)(a)(i)", "note": ""}
    )
    assert response.status_code == 400
    assert "a qualification is decided with a note" in response.content.decode()
    assert not Qualification.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"), [("documenter", 403), ("viewer", 403), ("outsider", 404)]
)
def test_others_may_not_decide(cast, world, login, who, status) -> None:
    response = login(getattr(cast, who)).post(
        decide_url(world.killing), {"decision": "accept", "crime_id": "8(2)(a)(i)", "note": "x"}
    )
    assert response.status_code == status
    assert not Qualification.objects.exists()


def test_the_decisions_show_only_on_their_violation(cast, world, login) -> None:
    decide_qualification(cast.analyst, world.torture, decision="accept", crime_id="7(1)(f)",
                         note="A note only on torture")  # fmt: skip
    assert (
        "A note only on torture"
        not in login(cast.analyst).get(page(world.killing)).content.decode()
    )
    assert "A note only on torture" in login(cast.analyst).get(page(world.torture)).content.decode()


def test_the_violation_page_links_here_only_for_those_who_may(cast, world, login) -> None:
    url = reverse("violations:violation_links", args=[world.killing.pk])
    assert page(world.killing) in login(cast.analyst).get(url).content.decode()
    assert page(world.killing) not in login(cast.documenter).get(url).content.decode()


def test_the_page_in_arabic_is_right_to_left(cast, world, login) -> None:
    client = login(cast.analyst)
    response = client.get(page(world.killing), HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'dir="rtl"' in html
    assert '<bdi dir="ltr">8(2)(a)(i)</bdi>' in html
