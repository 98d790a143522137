"""The pickers' look-ups (persons, units, sources, incidents) and their inline "record a new …"
panels: the active organisation's visible records only, a person found by name only by those
who may open that identity (audited), and nothing else's identity in any answer."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from justicework.audit.models import AuditEntry
from justicework.violations import actions
from justicework.violations.models import Person, Source, Unit

from ..conftest import last_audit, make_incident, make_person, make_unit
from .conftest import Login, text, url

pytestmark = pytest.mark.django_db

NAME = "Олена Коваленко"


def _grant(cast: SimpleNamespace, user: object, person: Person) -> None:
    actions.grant_need_to_know(cast.admin, user, person, "casework")  # type: ignore[arg-type]


def _source(org: object, title: str = "Interview with a neighbour", **fields: object) -> Source:
    return actions.create_source(
        None,
        org,  # type: ignore[arg-type]
        kind="testimony",
        title=title,
        reliability="B",
        credibility="2",
        **fields,  # type: ignore[arg-type]
    )


# --- Persons -------------------------------------------------------------------------------


def test_person_lookup_finds_a_code_by_its_start_in_the_active_organisation_only(
    login: Login, cast: SimpleNamespace
) -> None:
    ours = make_person(cast.acme, full_name=NAME)
    theirs = make_person(cast.beacon, full_name=NAME)
    page = text(login(cast.viewer).get(url("person_lookup"), {"victim": ours.code[:4].lower()}))
    assert ours.code in page
    assert theirs.code not in page
    assert NAME not in page  # a code match never shows a name
    page = text(login(cast.viewer).get(url("person_lookup"), {"q": theirs.code}))
    assert "<option" not in page  # another organisation's person: nothing


def test_person_lookup_finds_a_name_for_a_user_with_need_to_know_and_audits_it(
    login: Login, cast: SimpleNamespace
) -> None:
    person = make_person(cast.acme, full_name=NAME)
    _grant(cast, cast.analyst, person)
    page = text(login(cast.analyst).get(url("person_lookup"), {"victim": "олена коваленко"}))
    assert person.code in page
    assert NAME in page
    searched = last_audit("violations.person.searched_by_name")
    assert searched.diff["matches"] == 1
    shown = last_audit("violations.person.names_shown")
    assert shown.diff == {"codes": [person.code], "fields": ["full_name"]}
    assert NAME not in str(searched.diff) + str(shown.diff)


@pytest.mark.parametrize("who", ["analyst", "viewer", "coordinator"])
def test_a_name_search_by_someone_without_need_to_know_finds_nobody(
    login: Login, cast: SimpleNamespace, who: str
) -> None:
    person = make_person(cast.acme, full_name=NAME)
    page = text(login(getattr(cast, who)).get(url("person_lookup"), {"q": NAME}))
    assert person.code not in page
    assert NAME not in page
    assert not AuditEntry.objects.filter(action="violations.person.names_shown").exists()


def test_a_grant_on_one_person_does_not_find_another_by_the_same_name(
    login: Login, cast: SimpleNamespace
) -> None:
    granted = make_person(cast.acme, full_name=NAME)
    other = make_person(cast.acme, full_name=NAME)
    _grant(cast, cast.analyst, granted)
    page = text(login(cast.analyst).get(url("person_lookup"), {"q": NAME}))
    assert granted.code in page
    assert other.code not in page


def test_a_name_search_never_crosses_organisations(login: Login, cast: SimpleNamespace) -> None:
    theirs = make_person(cast.beacon, full_name=NAME)
    actions.grant_need_to_know(cast.beacon_admin, cast.outsider, theirs, "casework")
    page = text(login(cast.documenter).get(url("person_lookup"), {"q": NAME}))
    assert theirs.code not in page and NAME not in page


def test_lookups_refuse_anonymous_and_answer_nothing_without_an_organisation(
    login: Login, client: object, cast: SimpleNamespace
) -> None:
    make_person(cast.acme, full_name=NAME)
    for name in ["person_lookup", "source_lookup"]:
        response = client.get(url(name), {"q": "P-"})  # type: ignore[attr-defined]
        assert response.status_code == 302
        assert "<option" not in text(login(cast.loner).get(url(name), {"q": "P-"}))


def test_the_person_list_finds_a_victim_by_name_only_for_those_who_may_open_it(
    login: Login, cast: SimpleNamespace
) -> None:
    person = make_person(cast.acme, full_name=NAME)
    make_person(cast.acme, full_name="Someone Else")
    _grant(cast, cast.documenter, person)
    page = text(login(cast.documenter).get(url("person_list"), {"q": NAME}))
    assert person.code in page and "name matches" in page
    assert page.count(NAME) == 1  # only what was typed, in the search box: never a stored name
    assert last_audit("violations.person.searched_by_name").diff["matches"] == 1
    denied = text(login(cast.analyst).get(url("person_list"), {"q": NAME}))
    assert person.code not in denied


def test_the_person_list_still_finds_a_code(login: Login, cast: SimpleNamespace) -> None:
    person = make_person(cast.acme)
    page = text(login(cast.viewer).get(url("person_list"), {"q": person.code[:5]}))
    assert person.code in page


# --- Units, sources, incidents ---------------------------------------------------------------


def test_unit_lookup_finds_a_unit_by_its_number(login: Login, cast: SimpleNamespace) -> None:
    unit = make_unit(cast.acme)
    theirs = make_unit(cast.beacon, name="Beacon Militia")
    client = login(cast.documenter)
    assert f"[#{unit.pk}]" in text(client.get(url("unit_lookup"), {"unit": f"#{unit.pk}"}))
    assert "Beacon" not in text(client.get(url("unit_lookup"), {"unit": f"#{theirs.pk}"}))


def test_source_lookup_finds_by_title_address_or_number_in_the_organisation(
    login: Login, cast: SimpleNamespace
) -> None:
    ours = _source(cast.acme, url="https://example.org/report-17")
    theirs = _source(cast.beacon, title="Interview with a nurse")
    client = login(cast.viewer)
    assert f"[#{ours.pk}]" in text(client.get(url("source_lookup"), {"source": "neighb"}))
    assert f"[#{ours.pk}]" in text(client.get(url("source_lookup"), {"source": "report-17"}))
    assert f"[#{ours.pk}]" in text(client.get(url("source_lookup"), {"source": f"#{ours.pk}"}))
    assert "nurse" not in text(client.get(url("source_lookup"), {"source": "interview"}))
    assert "<option" not in text(client.get(url("source_lookup"), {"source": f"#{theirs.pk}"}))


def test_incident_lookup_finds_by_number(login: Login, cast: SimpleNamespace) -> None:
    incident = make_incident(cast.acme, title="Siege of Mariupol")
    theirs = make_incident(cast.beacon, title="Raid on the clinic")
    client = login(cast.viewer)
    assert "Mariupol" in text(client.get(url("incident_lookup"), {"q": f"#{incident.pk}"}))
    assert "<option" not in text(client.get(url("incident_lookup"), {"q": f"#{theirs.pk}"}))


def test_a_source_picked_from_the_list_is_linked_to_the_incident(
    login: Login, cast: SimpleNamespace
) -> None:
    incident = make_incident(cast.acme)
    source = _source(cast.acme)
    response = login(cast.documenter).post(
        url("incident_source_link", incident.pk), {"source": f"{source.title} [#{source.pk}]"}
    )
    assert response.status_code == 302
    assert source.incidents.filter(pk=incident.pk).exists()


# --- Inline panels ---------------------------------------------------------------------------


def test_a_new_person_is_recorded_inline_and_its_code_filled_into_the_picker(
    login: Login, cast: SimpleNamespace
) -> None:
    client = login(cast.documenter)
    panel = client.get(url("person_inline"), {"fill": "id_victim"})
    assert panel.status_code == 200 and 'name="np-full_name"' in text(panel)
    response = client.post(
        url("person_inline") + "?fill=id_victim",
        {"np-status": "alive", "np-full_name": NAME, "title": "ignored: the main form's field"},
    )
    assert response.status_code == 201
    person = Person.objects.get(organisation=cast.acme)
    page = text(response)
    assert f'data-fill="id_victim" data-value="{person.code}"' in page
    assert NAME not in page
    assert last_audit("violations.person.created").diff["code"] == person.code


def test_the_inline_person_panel_warns_of_a_possible_duplicate_and_records_nothing(
    login: Login, cast: SimpleNamespace
) -> None:
    make_person(cast.acme, full_name=NAME, date_of_birth=dt.date(1990, 2, 3))
    response = login(cast.documenter).post(
        url("person_inline"),
        {"np-status": "unknown", "np-full_name": NAME, "np-date_of_birth": "1990-02-03"},
    )
    assert response.status_code == 422
    assert "Possible duplicate" in text(response)
    assert 'name="np-confirm_new"' in text(response)
    assert Person.objects.filter(organisation=cast.acme).count() == 1


def test_the_inline_panel_names_the_matched_fields_of_a_disclosed_duplicate(
    login: Login, cast: SimpleNamespace
) -> None:
    existing = make_person(cast.acme, full_name=NAME, date_of_birth=dt.date(1990, 2, 3))
    _grant(cast, cast.documenter, existing)
    response = login(cast.documenter).post(
        url("person_inline"),
        {"np-status": "unknown", "np-full_name": NAME, "np-date_of_birth": "1990-02-03"},
    )
    assert response.status_code == 422
    page = text(response)
    assert existing.code in page and "the same date of birth, name" in page
    assert NAME not in page.replace('value="' + NAME + '"', "")  # only what was typed


def test_the_fill_target_must_be_a_plain_input_id(login: Login, cast: SimpleNamespace) -> None:
    page = text(login(cast.documenter).get(url("person_inline"), {"fill": '"><script>'}))
    assert "<script>" not in page.split("</summary>")[-1]
    assert "?fill=" in page and "%22" not in page


def test_a_new_unit_is_recorded_inline(login: Login, cast: SimpleNamespace) -> None:
    response = login(cast.documenter).post(
        url("unit_inline") + "?fill=id_unit",
        {"nu-name": "5th Rifle Battalion", "nu-kind": "armed_forces"},
    )
    assert response.status_code == 201
    unit = Unit.objects.get(name="5th Rifle Battalion")
    assert unit.organisation == cast.acme
    assert f'data-value="5th Rifle Battalion [#{unit.pk}]"' in text(response)


def test_a_bad_inline_unit_says_why_and_records_nothing(
    login: Login, cast: SimpleNamespace
) -> None:
    response = login(cast.documenter).post(url("unit_inline"), {"nu-name": "", "nu-kind": "x"})
    assert response.status_code == 422
    assert 'aria-invalid="true"' in text(response)
    assert not Unit.objects.exists()


def test_a_new_source_is_recorded_inline(login: Login, cast: SimpleNamespace) -> None:
    response = login(cast.documenter).post(
        url("source_inline") + "?fill=id_source",
        {
            "ns-kind": "testimony",
            "ns-title": "Call log",
            "ns-reliability": "C",
            "ns-credibility": "3",
        },
    )
    assert response.status_code == 201
    source = Source.objects.get(title="Call log")
    assert source.organisation == cast.acme
    assert f"Call log [#{source.pk}]" in text(response)


@pytest.mark.parametrize("name", ["person_inline", "unit_inline", "source_inline"])
@pytest.mark.parametrize("who", ["viewer", "analyst", "loner"])
def test_inline_panels_refuse_those_who_may_not_create(
    login: Login, cast: SimpleNamespace, name: str, who: str
) -> None:
    client = login(getattr(cast, who))
    assert client.get(url(name)).status_code == 403
    assert client.post(url(name), {"np-full_name": NAME, "nu-name": "X"}).status_code == 403
    assert not Person.objects.exists() and not Unit.objects.exists()


def test_the_violation_form_takes_a_picked_person_and_unit(
    login: Login, cast: SimpleNamespace
) -> None:
    incident = make_incident(cast.acme)
    person = make_person(cast.acme, full_name=NAME)
    unit = make_unit(cast.acme)
    client = login(cast.documenter)
    form = text(client.get(url("violation_create", incident.pk)))
    assert url("person_lookup") in form and url("unit_lookup") in form
    assert url("person_inline") in form and url("unit_inline") in form
    response = client.post(
        url("violation_create", incident.pk),
        {
            "type": "torture",
            "date_precision": "day",
            "victim": f"{person.code} · {NAME}",
            "victim_outcome": "released",
            "unit": f"{unit.name} [#{unit.pk}]",
            "involvement": "direct",
        },
    )
    assert response.status_code == 302
    violation = incident.violations.get()
    assert violation.perpetrations.get().unit == unit
    assert violation.person_roles.get(role="victim").person == person


def test_the_violation_form_refuses_another_organisations_unit(
    login: Login, cast: SimpleNamespace
) -> None:
    incident = make_incident(cast.acme)
    theirs = make_unit(cast.beacon, name="Beacon Militia")
    response = login(cast.documenter).post(
        url("violation_create", incident.pk),
        {
            "type": "torture",
            "date_precision": "day",
            "victim_outcome": "unknown",
            "unit": f"Beacon Militia [#{theirs.pk}]",
            "involvement": "direct",
        },
    )
    assert response.status_code == 422
    assert "No unit called" in text(response)
    assert not incident.violations.exists()
