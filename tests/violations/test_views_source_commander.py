"""Linking a recorded source to another incident; correcting a commander's title and dates."""

from __future__ import annotations

import datetime as dt

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from justicework.audit.models import AuditEntry
from justicework.violations import actions

from .conftest import make_incident, make_person, make_unit

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    if user.requires_mfa:
        Authenticator.objects.get_or_create(
            user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
        )
    client.force_login(user)
    return client


@pytest.fixture
def source_and_incidents(cast):
    first = make_incident(cast.acme, title="Shelling of the market")
    second = make_incident(cast.acme, title="Shelling of the station")
    source = actions.create_source(
        None, cast.acme, kind="document", title="Hospital admission log", incidents=[first]
    )
    return source, first, second


def link(client, incident, number):
    return client.post(
        reverse("violations:incident_source_link", args=[incident.pk]), {"source": number}
    )


def test_documenter_links_a_recorded_source_to_a_second_incident(
    cast, client, source_and_incidents
):
    source, first, second = source_and_incidents
    client = signed_in(client, cast.documenter)
    response = link(client, second, f"#{source.pk}")
    assert response.status_code == 302 and response.url.endswith("#sources")
    assert set(source.incidents.values_list("pk", flat=True)) == {first.pk, second.pk}
    entry = AuditEntry.objects.filter(action="violations.source.linked").latest("seq")
    assert entry.diff["incident"] == second.pk
    page = client.get(reverse("violations:incident_detail", args=[second.pk])).content.decode()
    assert "Hospital admission log" in page and f"#{source.pk}" in page
    again = client.get(link(client, second, str(source.pk)).url.split("#")[0], follow=True)
    assert "already linked" in again.content.decode()


@pytest.mark.parametrize(
    ("number", "says"),
    [
        ("", "Give the number of a source"),
        ("abc", "Give the number of a source"),
        ("99999999", "There is no source #99999999 of this incident"),
    ],
)
def test_a_bad_number_changes_nothing_and_says_why(
    cast, client, source_and_incidents, number, says
):
    source, first, second = source_and_incidents
    client = signed_in(client, cast.documenter)
    before = AuditEntry.objects.count()
    response = link(client, second, number)
    page = client.get(response.url.split("#")[0]).content.decode()
    assert says in page
    assert list(source.incidents.values_list("pk", flat=True)) == [first.pk]
    assert AuditEntry.objects.count() == before


def test_another_organisations_source_cannot_be_linked(cast, client, source_and_incidents):
    _source, _first, second = source_and_incidents
    theirs = actions.create_source(None, cast.beacon, kind="document", title="Their record")
    client = signed_in(client, cast.documenter)
    link(client, second, str(theirs.pk))
    assert not theirs.incidents.exists()


@pytest.mark.parametrize("who", ["viewer", "outsider", "beacon_admin"])
def test_who_may_not_change_the_incident_gets_404(cast, client, source_and_incidents, who):
    source, _first, second = source_and_incidents
    client = signed_in(client, getattr(cast, who))
    assert link(client, second, str(source.pk)).status_code == 404
    assert source.incidents.count() == 1


@pytest.fixture
def command(cast):
    unit = make_unit(cast.acme)
    person = make_person(cast.acme, full_name="Synthetic Commander")
    return actions.add_unit_commander(
        None, unit, person, title="Colonel", start_date=dt.date(2022, 2, 1)
    )


def test_documenter_corrects_a_commanders_dates(cast, client, command):
    client = signed_in(client, cast.documenter)
    url = reverse("violations:commander_edit", args=[command.pk])
    assert client.get(url).status_code == 200
    unit_page = client.get(reverse("violations:unit_detail", args=[command.unit_id]))
    assert url in unit_page.content.decode()
    response = client.post(
        url, {"title": "Major general", "start_date": "2022-02-01", "end_date": "2023-06-30"}
    )
    assert response.status_code == 302
    command.refresh_from_db()
    assert (command.title, command.end_date) == ("Major general", dt.date(2023, 6, 30))
    entry = AuditEntry.objects.filter(action="violations.unit.commander_updated").latest("seq")
    assert set(entry.diff) == {"title", "end_date"}


def test_an_end_before_the_start_is_refused_and_changes_nothing(cast, client, command):
    client = signed_in(client, cast.documenter)
    url = reverse("violations:commander_edit", args=[command.pk])
    response = client.post(
        url, {"title": "X", "start_date": "2022-02-01", "end_date": "2021-01-01"}
    )
    assert response.status_code == 422
    assert "The end date is before the start date." in response.content.decode()
    command.refresh_from_db()
    assert (command.title, command.end_date) == ("Colonel", None)


@pytest.mark.parametrize("who", ["viewer", "outsider", "beacon_admin"])
def test_who_may_not_change_the_unit_gets_404(cast, client, command, who):
    client = signed_in(client, getattr(cast, who))
    url = reverse("violations:commander_edit", args=[command.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"title": "Y"}).status_code == 404
    command.refresh_from_db()
    assert command.title == "Colonel"
