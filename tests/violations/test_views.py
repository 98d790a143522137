"""The violations pages: allow and deny for every view, audited reveals, drafts, duplicates,
facets and constant query counts."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from justicework.audit.models import AuditEntry
from justicework.core.models import AccessGrant, User
from justicework.violations import actions
from justicework.violations.models import Incident, Person, PersonRole, Violation

from .conftest import make_incident, make_person, make_unit, make_violation

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]


@pytest.fixture
def login(client: Client) -> Login:
    """Sign a cast member in (MFA-requiring roles get an authenticator first)."""

    def _login(user: User) -> Client:
        if user.requires_mfa:
            Authenticator.objects.get_or_create(
                user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
            )
        client.force_login(user)
        return client

    return _login


def url(name: str, *args: Any) -> str:
    return reverse(f"violations:{name}", args=args)


def text(response: Any) -> str:
    return response.content.decode()


# --- Incident list, search, facets -------------------------------------------------------------


def test_documenter_sees_own_incidents_and_not_another_organisations(login, cast, incident):
    make_incident(cast.beacon, title="Raid on the clinic", country="CD")
    page = text(login(cast.documenter).get(url("incident_list")))
    assert "Shelling of the market" in page
    assert "Raid on the clinic" not in page


def test_outsider_does_not_see_acme_incidents_in_list_map_or_timeline(login, cast, incident):
    client = login(cast.outsider)
    for name in ["incident_list", "incident_map", "incident_timeline"]:
        response = client.get(url(name))
        assert response.status_code == 200
        assert "Shelling of the market" not in text(response)


def test_viewer_sees_the_list_but_no_record_button(login, cast, incident):
    page = text(login(cast.viewer).get(url("incident_list")))
    assert "Shelling of the market" in page
    assert url("incident_create") not in page


def test_user_without_record_view_sees_no_incident(login, cast, incident):
    page = text(login(cast.officer).get(url("incident_list")))
    assert "Shelling of the market" not in page
    assert "0 incidents found" in page


def test_anonymous_is_sent_to_login(client, incident):
    for target in [
        url("incident_list"),
        url("incident_map"),
        url("incident_timeline"),
        url("incident_detail", incident.pk),
        url("incident_create"),
        url("person_list"),
    ]:
        response = client.get(target)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_search_and_filters_narrow_the_list(login, cast):
    market = make_incident(cast.acme, title="Shelling of the market", country="UA")
    make_violation(market, type="killing_in_attack")
    camp = make_incident(
        cast.acme, title="Detention camp", country="GE", start_date=dt.date(2021, 1, 2)
    )
    make_violation(camp, type="arbitrary_detention")
    client = login(cast.documenter)

    page = text(client.get(url("incident_list"), {"q": "market"}))
    assert "Shelling of the market" in page and "Detention camp" not in page

    page = text(client.get(url("incident_list"), {"country": "GE"}))
    assert "Detention camp" in page and "Shelling of the market" not in page

    # A grouping of acts selects every act below it.
    page = text(client.get(url("incident_list"), {"type": "liberty_security"}))
    assert "Detention camp" in page and "Shelling of the market" not in page

    page = text(client.get(url("incident_list"), {"date_from": "2023-01-01"}))
    assert "Shelling of the market" in page and "Detention camp" not in page


def test_unit_and_status_filters(login, cast):
    unit = make_unit(cast.acme)
    first = make_incident(cast.acme, title="First attack")
    violation = make_violation(first)
    actions.add_perpetration(None, violation, unit=unit, involvement="direct")
    make_incident(cast.acme, title="Second attack", status=Incident.Status.DOCUMENTED)
    client = login(cast.documenter)
    page = text(client.get(url("incident_list"), {"unit": unit.pk}))
    assert "First attack" in page and "Second attack" not in page
    page = text(client.get(url("incident_list"), {"status": "documented"}))
    assert "Second attack" in page and "First attack" not in page


def test_another_organisations_unit_is_not_a_valid_filter(login, cast):
    beacon_unit = make_unit(cast.beacon, name="Beacon unit")
    make_incident(cast.acme, title="First attack")
    response = login(cast.documenter).get(url("incident_list"), {"unit": beacon_unit.pk})
    assert response.status_code == 200
    assert "Beacon unit" not in text(response)
    assert response.context["form"].errors["unit"]


def test_bad_filter_values_are_reported_not_used(login, cast, incident):
    response = login(cast.documenter).get(
        url("incident_list"), {"country": "XX", "date_from": "yesterday", "after": "-3"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) >= {"country", "date_from", "after"}
    assert "Shelling of the market" in text(response)


def test_facets_count_the_result(login, cast):
    unit = make_unit(cast.acme)
    for n in range(3):
        inc = make_incident(cast.acme, title=f"Attack {n}", country="UA")
        make_violation(inc, type="killing_in_attack")
        perpetrated = make_violation(inc, type="killing_in_attack")
        actions.add_perpetration(None, perpetrated, unit=unit, involvement="direct")
    make_incident(cast.acme, title="Other", country="GE", status=Incident.Status.DOCUMENTED)
    response = login(cast.documenter).get(url("incident_list"))
    facets = {f.name: {v.value: v.count for v in f.values} for f in response.context["facets"]}
    assert response.context["total"] == 4
    assert facets["country"] == {"UA": 3, "GE": 1}
    assert facets["type"] == {"killing_in_attack": 6}  # acts
    assert facets["unit"] == {unit.pk: 3}  # attributions
    assert facets["status"] == {"draft": 3, "documented": 1}
    assert facets["organisation"] == {cast.acme.pk: 4}


def test_a_filtered_facet_offers_to_remove_its_filter(login, cast):
    make_incident(cast.acme, title="In Ukraine", country="UA")
    make_incident(cast.acme, title="In Georgia", country="GE")
    response = login(cast.documenter).get(url("incident_list"), {"country": "GE", "q": "Georgia"})
    country = next(f for f in response.context["facets"] if f.name == "country")
    assert [(v.value, v.count, v.selected) for v in country.values] == [("GE", 1, True)]
    assert country.clear_url == url("incident_list") + "?q=Georgia"
    assert f'href="{country.clear_url}"' in text(response)
    status = next(f for f in response.context["facets"] if f.name == "status")
    assert status.clear_url == ""


def test_htmx_request_gets_only_the_results(login, cast, incident):
    response = login(cast.documenter).get(url("incident_list"), HTTP_HX_REQUEST="true")
    page = text(response)
    assert "Shelling of the market" in page
    assert "<html" not in page
    assert "HX-Request" in response["Vary"]
    # Going back in history asks for the whole page again.
    restore = login(cast.documenter).get(
        url("incident_list"), HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in text(restore)


@pytest.mark.parametrize("materialise", [5000, 3])
def test_keyset_pages_cover_every_incident_once(login, cast, monkeypatch, materialise):
    """With every id fetched at once, and with more matches than ids fetched (later pages then
    come from the database)."""
    from django.core.cache import cache

    from justicework.violations import views

    cache.clear()
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    monkeypatch.setattr(views, "MATERIALISE_LIMIT", materialise)
    for n in range(5):
        make_incident(cast.acme, title=f"Incident number {n}")
    client = login(cast.documenter)
    seen: list[str] = []
    target: str | None = url("incident_list")
    while target:
        response = client.get(target)
        assert response.context["total"] == 5
        seen += [i.title for i in response.context["incidents"]]
        target = response.context["next_url"] or None
    assert len(seen) == 5
    assert sorted(seen) == [f"Incident number {n}" for n in range(5)]


def _count_queries(client: Client, target: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(target).status_code == 200
    return len(ctx.captured_queries)


def _grow(cast: Any, n: int) -> None:
    unit = make_unit(cast.acme, name=f"Unit {n}")
    person = make_person(cast.acme, full_name=f"Person {n}")
    for i in range(n):
        inc = make_incident(
            cast.acme,
            title=f"Incident {n}-{i}",
            locations=[{"place_name": f"Place {i}", "latitude": 48.0 + i, "longitude": 30.0}],
        )
        violation = make_violation(inc, victim=person if i == 0 else None)
        actions.add_perpetration(None, violation, unit=unit, involvement="direct")


@pytest.mark.parametrize(
    "name,params",
    [
        ("incident_list", {}),
        (
            "incident_list",
            {"q": "incident", "country": "UA", "type": "right_to_life", "status": "draft"},
        ),
        ("incident_map", {"q": "incident"}),
        ("incident_timeline", {}),
        ("person_list", {}),
    ],
)
def test_list_pages_keep_a_constant_number_of_queries(
    login, cast, name, params, django_assert_num_queries
):
    client = login(cast.documenter)
    target = url(name) + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")
    _grow(cast, 2)
    baseline = _count_queries(client, target)
    _grow(cast, 6)
    with django_assert_num_queries(baseline):
        response = client.get(target)
    assert response.status_code == 200


def test_incident_page_keeps_a_constant_number_of_queries(login, cast, django_assert_num_queries):
    client = login(cast.documenter)
    unit = make_unit(cast.acme)
    incident = make_incident(
        cast.acme, locations=[{"place_name": "A", "latitude": 1, "longitude": 2}]
    )

    def add(n: int) -> None:
        for i in range(n):
            person = make_person(cast.acme, full_name=f"Victim {i} {n}")
            violation = make_violation(incident, victim=person)
            actions.add_perpetration(None, violation, unit=unit, involvement="direct")

    add(1)
    baseline = _count_queries(client, url("incident_detail", incident.pk))
    add(5)
    with django_assert_num_queries(baseline):
        client.get(url("incident_detail", incident.pk))


# --- Incident page -----------------------------------------------------------------------------


def test_incident_page_shows_violations_persons_perpetrators_places_and_sources(
    login, cast, incident, violation, person
):
    unit = make_unit(cast.acme)
    actions.add_perpetration(None, violation, unit=unit, involvement="direct")
    actions.create_source(
        None, cast.acme, kind="testimony", title="Interview 12", incidents=[incident]
    )
    page = text(login(cast.viewer).get(url("incident_detail", incident.pk)))
    assert "Killing in an indiscriminate or disproportionate attack" in page
    assert person.code in page
    assert "Олена" not in page  # identity never on the incident page
    assert "3rd Motorised Brigade" in page
    assert "Kharkiv" in page
    assert "Interview 12" in page
    assert 'class="timeline"' in page


def test_descriptions_are_behind_a_show_toggle(login, cast, incident):
    make_violation(incident, description="Graphic account of the injuries")
    page = text(login(cast.documenter).get(url("incident_detail", incident.pk)))
    assert re.search(
        r'<details class="graphic">\s*<summary>[^<]+</summary>\s*<div><p>Graphic account', page
    )


def test_outsider_gets_404_on_another_organisations_incident(login, cast, incident):
    assert login(cast.outsider).get(url("incident_detail", incident.pk)).status_code == 404


def test_missing_incident_is_404_like_a_foreign_one(login, cast):
    assert login(cast.documenter).get(url("incident_detail", 999999)).status_code == 404


def test_restricted_incident_is_hidden_from_members_without_access(login, cast):
    secret = make_incident(cast.acme, title="Secret file", sensitivity="restricted")
    client = login(cast.viewer)
    assert client.get(url("incident_detail", secret.pk)).status_code == 404
    assert "Secret file" not in text(client.get(url("incident_list")))
    actions.grant_incident_access(None, cast.viewer, secret, reason="Case team")
    assert client.get(url("incident_detail", secret.pk)).status_code == 200


def test_map_page_works_without_tiles_and_renders_points_as_data(login, cast, settings):
    settings.MAP_TILE_URL = ""
    make_incident(
        cast.acme,
        title="Mapped",
        locations=[{"place_name": "Kyiv", "latitude": 50.45, "longitude": 30.52}],
    )
    page = text(login(cast.viewer).get(url("incident_map")))
    assert 'data-tile-url=""' in page
    assert '<script id="incident-map-points" type="application/json">' in page
    assert "50.45" in page and "Mapped" in page
    assert "<script>" not in page  # no inline script (CSP script-src 'self')
    # The vendored world layer (and the library that reads it) are offered instead of tiles.
    assert "vendor/world-atlas/countries-110m" in page and "countries-50m" in page
    assert "vendor/topojson-client/topojson-client.min" in page


def test_map_page_passes_a_configured_tile_url(login, cast, settings):
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    page = text(login(cast.viewer).get(url("incident_map")))
    assert 'data-tile-url="https://tiles.example.org/{z}/{x}/{y}.png"' in page
    assert "world-atlas" not in page and "topojson-client" not in page


def test_timeline_groups_incidents_by_year(login, cast):
    make_incident(cast.acme, title="Older", start_date=dt.date(2020, 3, 1))
    make_incident(cast.acme, title="Newer", start_date=dt.date(2023, 3, 1))
    page = text(login(cast.viewer).get(url("incident_timeline")))
    assert page.index("2023") < page.index("Newer") < page.index("2020") < page.index("Older")


# --- Create, edit, drafts, autosave ------------------------------------------------------------


def test_documenter_records_an_incident_with_a_place(login, cast):
    response = login(cast.documenter).post(
        url("incident_create"),
        {
            "title": "Attack on the bus station",
            "description": "Two rockets",
            "country": "UA",
            "start_date": "2023-06-01",
            "date_precision": "day",
            "context": "iac",
            "sensitivity": "normal",
            "place_name": "Kramatorsk",
            "latitude": "48.72",
            "longitude": "37.56",
            "save": "1",
        },
    )
    incident = Incident.objects.get(title="Attack on the bus station")
    assert response.status_code == 302
    assert response["Location"] == url("incident_detail", incident.pk)
    assert incident.status == Incident.Status.DOCUMENTED
    assert incident.organisation == cast.acme
    assert incident.locations.get().place_name == "Kramatorsk"
    assert AuditEntry.objects.filter(
        action="violations.incident.created", object_id=str(incident.pk)
    ).exists()


def test_save_as_draft_needs_only_a_title(login, cast):
    response = login(cast.documenter).post(
        url("incident_create"),
        {
            "title": "Half-written",
            "date_precision": "day",
            "context": "none_known",
            "sensitivity": "normal",
            "save_draft": "1",
        },
    )
    incident = Incident.objects.get(title="Half-written")
    assert response["Location"] == url("incident_edit", incident.pk)
    assert incident.status == Incident.Status.DRAFT
    assert incident.date_precision == "unknown"


def test_invalid_input_keeps_everything_typed_and_saves_nothing(login, cast):
    response = login(cast.documenter).post(
        url("incident_create"),
        {
            "title": "Typed with care",
            "description": "A long description that must not be lost",
            "start_date": "2023-06-10",
            "end_date": "2023-06-01",
            "date_precision": "range",
            "context": "iac",
            "sensitivity": "normal",
            "save": "1",
        },
    )
    assert response.status_code == 422
    page = text(response)
    assert "A long description that must not be lost" in page
    assert 'value="Typed with care"' in page
    assert "The end date is before the start date." in page
    assert not Incident.objects.filter(title="Typed with care").exists()


def test_viewer_and_loner_cannot_open_the_create_form(login, cast):
    assert login(cast.viewer).get(url("incident_create")).status_code == 403
    assert login(cast.loner).get(url("incident_create")).status_code == 403


def test_viewer_cannot_post_an_incident(login, cast):
    response = login(cast.viewer).post(url("incident_create"), {"title": "X", "save": "1"})
    assert response.status_code == 403
    assert not Incident.objects.filter(title="X").exists()


def test_documenter_edits_and_moves_to_documented(login, cast, incident):
    client = login(cast.documenter)
    assert client.get(url("incident_edit", incident.pk)).status_code == 200
    response = client.post(
        url("incident_edit", incident.pk),
        {
            "title": "Shelling of the central market",
            "country": "UA",
            "start_date": "2023-05-04",
            "date_precision": "day",
            "context": "iac",
            "sensitivity": "normal",
            "save": "1",
        },
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.title == "Shelling of the central market"
    assert incident.status == Incident.Status.DOCUMENTED


def test_viewer_and_outsider_cannot_edit(login, cast, incident):
    for user in [cast.viewer, cast.outsider]:
        client = login(user)
        assert client.get(url("incident_edit", incident.pk)).status_code == 404
        assert (
            client.post(url("incident_edit", incident.pk), {"title": "Hacked"}).status_code == 404
        )
    incident.refresh_from_db()
    assert incident.title == "Shelling of the market"


def _draft_post(**overrides: str) -> dict[str, str]:
    data = {
        "title": "Draft title",
        "country": "UA",
        "start_date": "2023-05-04",
        "date_precision": "day",
        "context": "none_known",
        "sensitivity": "normal",
    }
    data.update(overrides)
    return data


def test_autosave_saves_a_draft_and_audits_only_real_changes(login, cast, incident):
    client = login(cast.documenter)
    target = url("incident_autosave", incident.pk)
    response = client.post(target, _draft_post(description="Typed so far"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Draft saved" in text(response)
    incident.refresh_from_db()
    assert incident.description == "Typed so far"
    updates = AuditEntry.objects.filter(action="violations.incident.updated").count()
    client.post(target, _draft_post(description="Typed so far"), HTTP_HX_REQUEST="true")
    assert AuditEntry.objects.filter(action="violations.incident.updated").count() == updates


def test_autosave_reports_problems_without_saving(login, cast, incident):
    response = login(cast.documenter).post(
        url("incident_autosave", incident.pk), _draft_post(title="")
    )
    assert "Not saved yet: Title: This field is required." in text(response)
    incident.refresh_from_db()
    assert incident.title == "Shelling of the market"


def test_autosave_leaves_finished_records_alone(login, cast):
    done = make_incident(cast.acme, title="Done", status=Incident.Status.DOCUMENTED)
    response = login(cast.documenter).post(url("incident_autosave", done.pk), _draft_post())
    assert "Only drafts" in text(response)
    done.refresh_from_db()
    assert done.title == "Done"


def test_autosave_is_denied_to_viewer_and_outsider(login, cast, incident):
    for user in [cast.viewer, cast.outsider]:
        response = login(user).post(url("incident_autosave", incident.pk), _draft_post())
        assert response.status_code == 404
    incident.refresh_from_db()
    assert incident.title == "Shelling of the market"


# --- Violations --------------------------------------------------------------------------------


def test_documenter_adds_a_violation_with_victim_and_unit(login, cast, incident, person):
    unit = make_unit(cast.acme)
    client = login(cast.documenter)
    assert client.get(url("violation_create", incident.pk)).status_code == 200
    response = client.post(
        url("violation_create", incident.pk),
        {
            "type": "torture",
            "date_precision": "day",
            "victim": person.code.lower(),
            "victim_outcome": "released",
            "unit": unit.pk,
            "involvement": "direct",
            "description": "Beaten during interrogation",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    violation = Violation.objects.get(incident=incident, type="torture")
    assert violation.start_date == incident.start_date  # no date given: the incident's
    assert PersonRole.objects.get(violation=violation).person == person
    assert violation.perpetrations.get().unit == unit


def test_violation_form_rejects_another_organisations_person(login, cast, incident):
    foreign = make_person(cast.beacon, full_name="Someone Else")
    response = login(cast.documenter).post(
        url("violation_create", incident.pk),
        {
            "type": "torture",
            "date_precision": "day",
            "victim": foreign.code,
            "victim_outcome": "unknown",
        },
    )
    assert response.status_code == 422
    assert "victim" in response.context["form"].errors
    assert not Violation.objects.filter(incident=incident).exists()


def test_grouping_codes_are_not_acts(login, cast, incident):
    response = login(cast.documenter).post(
        url("violation_create", incident.pk),
        {"type": "sgbv", "date_precision": "day", "victim_outcome": "unknown"},
    )
    assert response.status_code == 422
    assert "type" in response.context["form"].errors


def test_viewer_and_outsider_cannot_add_violations(login, cast, incident):
    for user in [cast.viewer, cast.outsider]:
        client = login(user)
        assert client.get(url("violation_create", incident.pk)).status_code == 404
        response = client.post(
            url("violation_create", incident.pk),
            {"type": "torture", "date_precision": "day", "victim_outcome": "unknown"},
        )
        assert response.status_code == 404
    assert not Violation.objects.filter(incident=incident).exists()


# --- Persons -----------------------------------------------------------------------------------


def test_person_list_and_page_show_the_code_never_the_identity(login, cast, person):
    client = login(cast.documenter)
    for target in [url("person_list"), url("person_detail", person.pk)]:
        page = text(client.get(target))
        assert person.code in page
        assert "Олена" not in page and "Коваленко" not in page
        assert "FA 123-456" not in page


def test_outsider_cannot_see_acme_persons(login, cast, person):
    client = login(cast.outsider)
    assert person.code not in text(client.get(url("person_list")))
    assert client.get(url("person_detail", person.pk)).status_code == 404
    assert client.post(url("person_reveal", person.pk), {"confirm": "on"}).status_code == 404


def test_reveal_needs_a_need_to_know_grant(login, cast, person):
    client = login(cast.documenter)
    page = text(client.get(url("person_detail", person.pk)))
    assert "Reveal the identity" not in page
    response = client.post(url("person_reveal", person.pk), {"confirm": "on"})
    assert response.status_code == 403
    assert "Олена" not in text(response)
    assert not AuditEntry.objects.filter(action="violations.person.identity_revealed").exists()


def test_viewer_cannot_reveal_even_with_a_grant(login, cast, person):
    actions.grant_need_to_know(None, cast.viewer, person, reason="Case team")
    response = login(cast.viewer).post(url("person_reveal", person.pk), {"confirm": "on"})
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="violations.person.identity_revealed").exists()


def test_reveal_with_grant_shows_identity_once_and_is_audited(login, cast, person):
    actions.grant_need_to_know(None, cast.documenter, person, reason="Interview follow-up")
    client = login(cast.documenter)
    page = text(client.get(url("person_detail", person.pk)))
    assert "Reveal the identity" in page and "Олена" not in page

    unconfirmed = client.post(url("person_reveal", person.pk), {})
    assert unconfirmed.status_code == 422
    assert "Олена" not in text(unconfirmed)
    assert not AuditEntry.objects.filter(action="violations.person.identity_revealed").exists()

    response = client.post(url("person_reveal", person.pk), {"confirm": "on"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    revealed = text(response)
    assert "Олена Коваленко" in revealed and "FA 123-456" in revealed
    assert "3 February 1990" in revealed
    entry = AuditEntry.objects.get(action="violations.person.identity_revealed")
    assert entry.actor_id == cast.documenter.pk
    assert entry.object_id == str(person.pk)
    assert "Олена" not in str(entry.diff)
    # The next plain visit is pseudonymous again.
    assert "Олена" not in text(client.get(url("person_detail", person.pk)))


def test_reveal_is_post_only(login, cast, person):
    actions.grant_need_to_know(None, cast.documenter, person, reason="Interview follow-up")
    assert login(cast.documenter).get(url("person_reveal", person.pk)).status_code == 405


def _person_post(**fields: str) -> dict[str, str]:
    data = {"status": "alive"}
    data.update(fields)
    return data


def test_documenter_records_a_person_encrypted(login, cast):
    response = login(cast.documenter).post(
        url("person_create"), _person_post(full_name="Ivan Petrenko", date_of_birth="1980-01-01")
    )
    person = Person.objects.get(organisation=cast.acme)
    assert response["Location"] == url("person_detail", person.pk)
    assert person.full_name == "Ivan Petrenko"
    with connection.cursor() as cursor:
        cursor.execute("SELECT full_name FROM violations_person WHERE id = %s", [person.pk])
        stored = cursor.fetchone()[0]
    assert "Petrenko" not in str(stored)


def test_possible_duplicate_warns_without_the_code_and_needs_confirmation(login, cast, person):
    client = login(cast.documenter)  # no need-to-know grant on ``person``
    # The same name in Latin script (transliteration-aware blind index) and the same birth date.
    body = _person_post(full_name="Olena Kovalenko", date_of_birth="1990-02-03")
    response = client.post(url("person_create"), body)
    assert response.status_code == 422
    page = text(response)
    assert "Possible duplicate" in page and "no need-to-know" in page
    assert person.code not in page  # not the code: whom to ask instead
    assert cast.admin.email in page
    assert "Коваленко" not in page
    assert Person.objects.filter(organisation=cast.acme).count() == 1
    entry = AuditEntry.objects.filter(action="violations.person.duplicates_checked").get()
    assert entry.diff["matches"] == 1 and entry.diff["disclosed"] == 0

    response = client.post(url("person_create"), {**body, "confirm_new": "on"})
    assert response.status_code == 302
    assert Person.objects.filter(organisation=cast.acme).count() == 2


def test_possible_duplicate_shows_the_code_with_need_to_know(login, cast, person):
    actions.grant_need_to_know(None, cast.documenter, person, reason="Interview follow-up")
    body = _person_post(full_name="Olena Kovalenko", document_number="FA123456")
    response = login(cast.documenter).post(url("person_create"), body)
    assert response.status_code == 422
    page = text(response)
    assert person.code in page and "no need-to-know" not in page


def test_one_identifying_field_is_not_looked_up(login, cast, person):
    response = login(cast.documenter).post(
        url("person_create"), _person_post(full_name="Olena Kovalenko")
    )
    assert response.status_code == 302  # recorded: nothing to compare it with
    assert not AuditEntry.objects.filter(action="violations.person.duplicates_checked").exists()


def test_duplicate_checks_are_rate_limited_on_the_web(login, cast, person, settings):
    settings.DUPLICATE_CHECK_RATE_LIMIT = "1/h"
    cache.clear()
    client = login(cast.documenter)
    body = _person_post(full_name="Olena Kovalenko", date_of_birth="1990-02-03")
    assert client.post(url("person_create"), body).status_code == 422
    response = client.post(url("person_create"), body)
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert "Too many duplicate checks" in text(response)
    assert Person.objects.filter(organisation=cast.acme).count() == 1
    cache.clear()


def test_duplicate_check_stays_within_the_organisation(login, cast, person):
    response = login(cast.outsider).post(
        url("person_create"),
        _person_post(full_name="Олена Коваленко", date_of_birth="1990-02-03"),
    )
    assert response.status_code == 302
    assert Person.objects.filter(organisation=cast.beacon).count() == 1


def test_viewer_cannot_record_persons(login, cast):
    client = login(cast.viewer)
    assert client.get(url("person_create")).status_code == 403
    assert client.post(url("person_create"), _person_post(full_name="X")).status_code == 403
    assert not Person.objects.exists()


# --- Navigation and dashboard ------------------------------------------------------------------


def test_navigation_and_dashboard_card_for_record_viewers_only(login, cast, incident):
    page = text(login(cast.viewer).get(reverse("web:dashboard")))
    for name in ["incident_list", "person_list", "incident_map", "incident_timeline"]:
        assert f'href="{url(name)}"' in page
    assert "Drafts: 1" in page
    page = text(login(cast.officer).get(reverse("web:dashboard")))
    assert f'href="{url("incident_list")}"' not in page


def test_incident_page_pages_through_many_violations(login, cast, incident, monkeypatch):
    from justicework.violations import views

    monkeypatch.setattr(views, "VIOLATIONS_PAGE", 2)
    for day in range(1, 6):
        make_violation(incident, type="torture", start_date=dt.date(2023, 5, day))
    client = login(cast.viewer)
    first = client.get(url("incident_detail", incident.pk))
    assert [v.start_date.day for v in first.context["violations"]] == [1, 2]
    assert 'href="?vpage=2#violations"' in text(first)
    last = client.get(url("incident_detail", incident.pk), {"vpage": "3"})
    assert [v.start_date.day for v in last.context["violations"]] == [5]
    assert 'href="?vpage=2#violations"' in text(last)
    # Out-of-range and junk pages fall back to a real page.
    assert (
        client.get(url("incident_detail", incident.pk), {"vpage": "99"}).context["violation_page"]
        == 3
    )
    assert (
        client.get(url("incident_detail", incident.pk), {"vpage": "x"}).context["violation_page"]
        == 1
    )


def test_selects_keep_their_label_and_error_state(login, cast):
    page = text(login(cast.documenter).get(url("incident_list"), {"country": "XX"}))
    assert '<label for="id_country">' in page
    select = re.search(r'<select name="country"[^>]*>', page)
    assert select is not None
    assert 'id="id_country"' in select.group(0)
    assert 'aria-invalid="true"' in select.group(0)
    assert '<option value="UA">Ukraine</option>' in page
    assert re.search(r'<optgroup label="[^"]+"><option value="sgbv">', page)


def test_fuzzy_dates_are_written_in_the_language_and_isolated(login, cast):
    make_incident(
        cast.acme, title="Month only", start_date=dt.date(2022, 3, 1), date_precision="month"
    )
    make_incident(
        cast.acme,
        title="A range",
        start_date=dt.date(2022, 3, 1),
        end_date=dt.date(2022, 3, 9),
        date_precision="range",
        date_approximate=True,
    )
    page = text(login(cast.viewer).get(url("incident_list")))
    assert "<bdi>March 2022</bdi></td>" in page
    assert "about 1 March 2022 to 9 March 2022" in page
    client = login(cast.viewer)
    client.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    page = text(client.get(url("incident_list")))
    assert "<bdi>مارس 2022</bdi></td>" in page  # isolated: the order holds in right-to-left


def test_unit_filter_includes_sub_units_and_country_includes_places(login, cast):
    brigade = make_unit(cast.acme, name="Brigade")
    battalion = make_unit(cast.acme, name="Battalion", parent=brigade)
    by_battalion = make_incident(
        cast.acme, title="By the battalion", locations=[{"place_name": "Gori", "country": "GE"}]
    )
    actions.add_perpetration(
        None, make_violation(by_battalion), unit=battalion, involvement="direct"
    )
    make_incident(cast.acme, title="Unattributed")
    client = login(cast.documenter)
    page = text(client.get(url("incident_list"), {"unit": brigade.pk}))
    assert "By the battalion" in page and "Unattributed" not in page
    response = client.get(url("incident_list"), {"country": "GE"})
    assert [i.title for i in response.context["incidents"]] == ["By the battalion"]
    assert response.context["total"] == 1


def test_list_links_to_import_and_export_for_those_who_may(login, cast):
    page = text(login(cast.documenter).get(url("incident_list")))
    assert 'href="/data/import/violations/"' in page
    assert 'href="/data/export/violations/"' in page
    page = text(login(cast.viewer).get(url("incident_list")))
    assert "/data/import/" not in page and "/data/export/" not in page


class _Controls(HTMLParser):
    """Collects form controls and the ids that a ``<label for>`` names."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str | None]] = []
        self.labelled: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "label" and found.get("for"):
            self.labelled.add(str(found["for"]))
        if tag in {"input", "select", "textarea"} and found.get("type") not in {
            "hidden",
            "submit",
        }:
            self.controls.append(found)


@pytest.mark.parametrize(
    "name",
    [
        "incident_list",
        "incident_map",
        "incident_timeline",
        "incident_create",
        "incident_edit",
        "violation_create",
        "person_list",
        "person_create",
        "person_detail",
        "violation_edit",
    ],
)
def test_every_control_has_a_label(login, cast, incident, violation, person, name):
    args = {
        "incident_edit": [incident.pk],
        "violation_create": [incident.pk],
        "violation_edit": [violation.pk],
        "person_detail": [person.pk],
    }.get(name, [])
    actions.grant_need_to_know(None, cast.admin, person, reason="Case team")
    user = cast.admin if name == "person_detail" else cast.documenter  # grant + reveal forms
    parser = _Controls()
    parser.feed(text(login(user).get(url(name, *args))))
    main_controls = [c for c in parser.controls if c.get("name") not in {"language", "next"}]
    assert main_controls
    unlabelled = [c for c in main_controls if c.get("id") not in parser.labelled]
    assert unlabelled == []


def test_large_results_give_the_same_answers_and_cache_their_counts(
    login, cast, monkeypatch, django_assert_max_num_queries
):
    """Above MATERIALISE_LIMIT matches the list aggregates in the database (no id list) and
    keeps the counts in the cache for a while; totals, facets and pages are the same."""
    from django.core.cache import cache

    from justicework.violations import views

    unit = make_unit(cast.acme)
    for n in range(4):
        inc = make_incident(cast.acme, title=f"Attack {n}", country="UA")
        perpetrated = make_violation(inc, type="torture")
        actions.add_perpetration(None, perpetrated, unit=unit, involvement="direct")
    make_incident(cast.acme, title="Elsewhere", country="GE")
    client = login(cast.documenter)

    def answers() -> tuple[Any, ...]:
        response = client.get(url("incident_list"), {"q": "attack"})
        facets = {f.name: {v.value: v.count for v in f.values} for f in response.context["facets"]}
        titles = [i.title for i in response.context["incidents"]]
        return response.context["total"], facets, titles

    cache.clear()
    small = answers()
    assert small[0] == 4 and small[1]["type"] == {"torture": 4} and small[1]["unit"] == {unit.pk: 4}
    monkeypatch.setattr(views, "MATERIALISE_LIMIT", 1)
    with CaptureQueriesContext(connection) as first:
        large = answers()
    assert large == small
    with django_assert_max_num_queries(len(first.captured_queries) - 3):
        assert answers() == small  # the three counting queries came from the cache
    cache.clear()


def test_map_shows_the_places_of_the_newest_incidents_and_says_so(login, cast, monkeypatch):
    from justicework.violations import views

    monkeypatch.setattr(views, "MAP_LIMIT", 1)
    make_incident(cast.acme, title="Older", locations=[{"latitude": 1.0, "longitude": 2.0}])
    make_incident(cast.acme, title="Newer", locations=[{"latitude": 3.0, "longitude": 4.0}])
    response = login(cast.viewer).get(url("incident_map"))
    assert [p["title"] for p in response.context["points"]] == ["Newer"]
    assert response.context["truncated"]
    assert "most recent incidents are shown" in text(response)


def test_documenter_edits_a_violation_audited(login, cast, incident, violation, person):
    client = login(cast.documenter)
    target = url("violation_edit", violation.pk)
    assert f'href="{target}"' in text(client.get(url("incident_detail", incident.pk)))
    page = client.get(target)
    assert page.status_code == 200
    assert 'name="victim"' not in text(page)  # links are not edited here
    response = client.post(
        target,
        {
            "type": "torture",
            "date_precision": "day",
            "start_date": "2023-05-05",
            "victim_outcome": "released",
            "description": "Corrected account",
        },
    )
    assert response.status_code == 302
    violation.refresh_from_db()
    assert (violation.type, violation.description) == ("torture", "Corrected account")
    assert violation.person_roles.get().person == person  # the victim stays
    assert AuditEntry.objects.filter(
        action="violations.violation.updated", object_id=str(violation.pk)
    ).exists()


def test_viewer_and_outsider_cannot_edit_a_violation(login, cast, incident, violation):
    for user in [cast.viewer, cast.outsider]:
        client = login(user)
        assert client.get(url("violation_edit", violation.pk)).status_code == 404
        response = client.post(
            url("violation_edit", violation.pk),
            {"type": "torture", "date_precision": "unknown", "victim_outcome": "unknown"},
        )
        assert response.status_code == 404
    violation.refresh_from_db()
    assert violation.type == "killing_in_attack"
    assert 'href="/violations/' not in text(
        login(cast.viewer).get(url("incident_detail", incident.pk))
    )


def test_violation_edit_with_bad_dates_keeps_input(login, cast, violation):
    response = login(cast.documenter).post(
        url("violation_edit", violation.pk),
        {
            "type": "torture",
            "date_precision": "day",
            "start_date": "2023-05-09",
            "end_date": "2023-05-01",
            "victim_outcome": "unknown",
            "description": "Keep me",
        },
    )
    assert response.status_code == 422
    assert "Keep me" in text(response)
    violation.refresh_from_db()
    assert violation.type == "killing_in_attack"


def test_analyst_verifies_an_incident_and_documenter_cannot(login, cast, incident):
    target = url("incident_status", incident.pk)
    assert login(cast.documenter).post(target, {"status": "verified"}).status_code == 403
    assert "Mark as verified" not in text(
        login(cast.documenter).get(url("incident_detail", incident.pk))
    )
    for user in [cast.viewer, cast.outsider]:
        assert login(user).post(target, {"status": "verified"}).status_code == 404
    incident.refresh_from_db()
    assert incident.status == Incident.Status.DRAFT
    client = login(cast.analyst)
    assert "Mark as verified" in text(client.get(url("incident_detail", incident.pk)))
    assert client.post(target, {"status": "verified"}).status_code == 302
    incident.refresh_from_db()
    assert incident.status == Incident.Status.VERIFIED
    assert AuditEntry.objects.filter(
        action="violations.incident.status_changed", object_id=str(incident.pk)
    ).exists()
    response = client.post(target, {"status": "nonsense"}, follow=True)
    assert "is not a status" in text(response)
    assert login(cast.analyst).get(target).status_code == 405


def test_admin_grants_need_to_know_then_the_documenter_reveals_then_admin_revokes(
    login, cast, person
):
    client = login(cast.admin)
    page = text(client.get(url("person_detail", person.pk)))
    assert "Grant need-to-know" in page
    assert f'<option value="{cast.documenter.pk}">' in page
    assert f'<option value="{cast.viewer.pk}">' not in page  # viewers cannot reveal anyway
    response = client.post(
        url("person_grant", person.pk),
        {"user": cast.documenter.pk, "reason": "Follow-up interview", "expires_on": ""},
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="violations.person.need_to_know_granted")
    assert entry.actor_id == cast.admin.pk
    revealed = login(cast.documenter).post(url("person_reveal", person.pk), {"confirm": "on"})
    assert revealed.status_code == 200 and "Олена Коваленко" in text(revealed)

    grant = AccessGrant.objects.get(user=cast.documenter, object_id=str(person.pk))
    assert login(cast.documenter).post(url("grant_revoke", grant.pk)).status_code == 404
    assert login(cast.admin).post(url("grant_revoke", grant.pk)).status_code == 302
    assert AuditEntry.objects.filter(action="violations.grant.revoked").exists()
    again = login(cast.documenter).post(url("person_reveal", person.pk), {"confirm": "on"})
    assert again.status_code == 403


def test_only_admins_grant_need_to_know(login, cast, person):
    for user, status in [(cast.documenter, 403), (cast.viewer, 403), (cast.beacon_admin, 404)]:
        response = login(user).post(
            url("person_grant", person.pk), {"user": user.pk, "reason": "Because"}
        )
        assert response.status_code == status
        assert "Grant need-to-know" not in text(login(user).get(url("person_detail", person.pk)))
    assert not AccessGrant.objects.exists()


def test_grant_form_rejects_bad_input_without_granting(login, cast, person):
    client = login(cast.admin)
    response = client.post(
        url("person_grant", person.pk),
        {"user": cast.outsider.pk, "reason": "", "expires_on": "2000-01-01"},
    )
    assert response.status_code == 422
    errors = response.context["grant_form"].errors
    assert set(errors) == {"user", "reason", "expires_on"}
    assert not AccessGrant.objects.exists()
