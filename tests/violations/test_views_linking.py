"""Linking pages: sources, perpetrators, witnesses and sources persons, incident relations, units
and their commanders. Allow and deny for each, audited writes, rejected input that changes
nothing, constant query counts on list pages."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from justicework.audit.models import AuditEntry
from justicework.core.models import User
from justicework.violations import actions
from justicework.violations.models import (
    IncidentRelation,
    Perpetration,
    PersonRole,
    Source,
    Unit,
    UnitCommander,
)

from .conftest import make_incident, make_person, make_unit, make_violation

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]


@pytest.fixture
def login(client: Client) -> Login:
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


def audited(action: str, obj: Any) -> bool:
    return AuditEntry.objects.filter(action=action, object_id=str(obj.pk)).exists()


def count_queries(client: Client, target: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(target).status_code == 200
    return len(ctx.captured_queries)


@pytest.fixture
def unit(acme: Any) -> Unit:
    return make_unit(acme)


@pytest.fixture
def beacon_unit(beacon: Any) -> Unit:
    return make_unit(beacon, name="Beacon Militia", kind="armed_group")


SOURCE = {
    "kind": "testimony",
    "title": "Interview with a market vendor",
    "description": "Recorded in May.",
    "reliability": "B",
    "credibility": "2",
    "language": "UK",
    "date": "2023-05-10",
    "url": "",
    "link_to": "incident",
}


# --- Sources -----------------------------------------------------------------------------------


def test_documenter_adds_a_source_to_the_incident_audited(login, cast, incident):
    client = login(cast.documenter)
    assert client.get(url("source_create", incident.pk)).status_code == 200
    response = client.post(url("source_create", incident.pk), SOURCE)
    assert response.status_code == 302
    source = Source.objects.get()
    assert list(source.incidents.all()) == [incident]
    assert (source.grade, source.language, source.date) == ("B2", "uk", dt.date(2023, 5, 10))
    assert audited("violations.source.created", source)
    page = text(client.get(url("incident_detail", incident.pk)))
    assert "Interview with a market vendor" in page
    assert "B2" in page


def test_documenter_links_a_new_source_to_one_violation(login, cast, incident, violation):
    client = login(cast.documenter)
    page = text(client.get(url("source_create", incident.pk) + f"?violation={violation.pk}"))
    assert f'value="violation-{violation.pk}" selected' in page
    response = client.post(
        url("source_create", incident.pk), {**SOURCE, "link_to": f"violation-{violation.pk}"}
    )
    assert response.status_code == 302
    source = Source.objects.get()
    assert list(source.violations.all()) == [violation]
    assert not source.incidents.exists()
    assert "Interview with a market vendor" in text(
        client.get(url("violation_links", violation.pk))
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("reliability", "G"),
        ("credibility", "9"),
        ("language", "zz"),
        ("title", ""),
        ("kind", "rumour"),
        ("date", "2999-01-01"),
    ],
)
def test_bad_source_is_rejected_with_the_field_named_and_nothing_saved(
    login, cast, incident, field, value
):
    response = login(cast.documenter).post(
        url("source_create", incident.pk), {**SOURCE, field: value}
    )
    assert response.status_code == 422
    assert 'aria-invalid="true"' in text(response)
    assert f'name="{field}"' in text(response)
    assert not Source.objects.exists()
    assert not AuditEntry.objects.filter(action="violations.source.created").exists()


def test_source_cannot_be_linked_to_another_incidents_violation(login, cast, incident):
    other = make_incident(cast.acme, title="Other")
    act = make_violation(other)
    response = login(cast.documenter).post(
        url("source_create", incident.pk), {**SOURCE, "link_to": f"violation-{act.pk}"}
    )
    assert response.status_code == 422
    assert not Source.objects.exists()


def test_viewer_outsider_and_anonymous_cannot_add_sources(login, client, cast, incident):
    target = url("source_create", incident.pk)
    anonymous = client.post(target, SOURCE)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    for user in [cast.viewer, cast.outsider]:
        c = login(user)
        assert c.get(target).status_code == 404
        assert c.post(target, SOURCE).status_code == 404
    assert not Source.objects.exists()


def test_documenter_unlinks_a_source_audited_and_outsider_cannot(login, cast, incident):
    source = actions.create_source(
        None, cast.acme, kind="testimony", title="Vendor", incidents=[incident]
    )
    target = url("source_unlink", incident.pk, source.pk)
    assert login(cast.outsider).post(target).status_code == 404
    assert login(cast.viewer).post(target).status_code == 404
    assert source.incidents.count() == 1
    assert login(cast.documenter).post(target).status_code == 302
    assert not source.incidents.exists()
    assert audited("violations.source.unlinked", source)


def test_documenter_links_an_incident_source_to_an_act_and_unlinks_it_audited(
    login, cast, incident, violation
):
    source = actions.create_source(
        None, cast.acme, kind="photo", title="Photo of the crater", incidents=[incident]
    )
    client = login(cast.documenter)
    page = text(client.get(url("violation_links", violation.pk)))
    assert f'<option value="{source.pk}">' in page
    response = client.post(url("violation_source_link", violation.pk), {"source": source.pk})
    assert response.status_code == 302
    assert list(source.violations.all()) == [violation]
    assert AuditEntry.objects.filter(
        action="violations.source.linked", object_id=str(source.pk)
    ).exists()
    response = client.post(url("violation_source_unlink", violation.pk, source.pk))
    assert response.status_code == 302
    assert not source.violations.exists()
    assert audited("violations.source.unlinked", source)


def test_sources_of_other_incidents_or_organisations_cannot_be_linked_to_an_act(
    login, cast, violation, beacon_incident
):
    other = actions.create_source(
        None, cast.acme, kind="photo", title="Elsewhere", incidents=[make_incident(cast.acme)]
    )
    foreign = actions.create_source(
        None, cast.beacon, kind="photo", title="Beacon's", incidents=[beacon_incident]
    )
    client = login(cast.documenter)
    for source in [other, foreign]:
        target = url("violation_source_link", violation.pk)
        assert client.post(target, {"source": source.pk}).status_code == 404
    assert (
        client.post(url("violation_source_link", violation.pk), {"source": "x"}).status_code == 404
    )
    for user in [cast.viewer, cast.outsider]:
        assert (
            login(user).post(url("violation_source_link", violation.pk), {"source": other.pk})
        ).status_code == 404
    assert not violation.sources.exists()


def test_source_list_shows_own_sources_with_their_visible_incidents(
    login, client, cast, incident, beacon_incident
):
    secret = make_incident(cast.acme, title="Secret detention site", sensitivity="restricted")
    actions.create_source(
        None, cast.acme, kind="photo", title="Photo of the crater", incidents=[incident, secret]
    )
    actions.create_source(
        None, cast.beacon, kind="photo", title="Beacon's", incidents=[beacon_incident]
    )
    anonymous = client.get(url("source_list"))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    page = text(login(cast.documenter).get(url("source_list")))
    assert "Photo of the crater" in page and "Shelling of the market" in page
    assert "Secret detention site" not in page
    assert "Beacon's" not in page
    assert "Photo of the crater" not in text(login(cast.outsider).get(url("source_list")))


def test_source_list_keeps_a_constant_number_of_queries_and_pages(
    login, cast, monkeypatch, django_assert_num_queries
):
    client = login(cast.documenter)

    def grow(n: int) -> None:
        for i in range(n):
            incident = make_incident(cast.acme, title=f"Incident {n} {i}")
            actions.create_source(
                None, cast.acme, kind="photo", title=f"Source {n} {i}", incidents=[incident]
            )

    grow(1)
    baseline = count_queries(client, url("source_list"))
    grow(6)
    with django_assert_num_queries(baseline):
        client.get(url("source_list"))
    from justicework.violations import views

    monkeypatch.setattr(views, "SOURCE_PAGE", 4)
    first = text(client.get(url("source_list")))
    assert "Source 6 5" in first and "Source 6 1" not in first
    newest = Source.objects.order_by("-pk")[3].pk
    second = text(client.get(url("source_list") + f"?after={newest}"))
    assert "Source 6 1" in second and "Source 6 5" not in second


def test_documenter_corrects_a_source_grade_audited_and_others_cannot(login, cast, incident):
    source = actions.create_source(
        None, cast.acme, kind="photo", title="Photo of the crater", incidents=[incident]
    )
    edit = url("source_edit", source.pk)
    assert edit in text(login(cast.documenter).get(url("source_list")))
    assert edit not in text(login(cast.viewer).get(url("source_list")))
    for user in [cast.viewer, cast.outsider]:
        c = login(user)
        assert c.get(edit).status_code == 404
        assert c.post(edit, {**SOURCE, "reliability": "A"}).status_code == 404
    client = login(cast.documenter)
    page = text(client.get(edit))
    assert 'value="Photo of the crater"' in page and 'name="link_to"' not in page
    bad = client.post(edit, {**SOURCE, "reliability": "Z"})
    assert bad.status_code == 422
    source.refresh_from_db()
    assert source.grade == "F6"
    data = {**SOURCE, "kind": "photo", "title": "Photo of the crater", "reliability": "A"}
    assert client.post(edit, data).status_code == 302
    source.refresh_from_db()
    assert (source.grade, source.language) == ("A2", "uk")
    entry = AuditEntry.objects.get(action="violations.source.updated", object_id=str(source.pk))
    assert set(entry.diff) >= {"reliability", "credibility"}
    assert list(source.incidents.all()) == [incident]  # links unchanged


# --- Perpetrators --------------------------------------------------------------------------------


def test_documenter_adds_a_perpetrator_unit_picked_from_the_list_audited(
    login, cast, incident, violation, unit
):
    client = login(cast.documenter)
    assert client.get(url("violation_links", violation.pk)).status_code == 200
    links = url("violation_links", violation.pk)
    assert links in text(client.get(url("incident_detail", violation.incident_id)))
    assert links in text(client.get(url("violation_edit", violation.pk)))
    assert links not in text(login(cast.viewer).get(url("incident_detail", violation.incident_id)))
    client = login(cast.documenter)
    response = client.post(
        url("perpetration_add", violation.pk),
        {"unit": f"{unit.name} [#{unit.pk}]", "involvement": "direct", "note": "Seen"},
    )
    assert response.status_code == 302
    perpetration = Perpetration.objects.get()
    assert (perpetration.unit, perpetration.involvement, perpetration.note) == (
        unit,
        "direct",
        "Seen",
    )
    assert audited("violations.perpetration.created", perpetration)
    assert unit.name in text(client.get(url("violation_links", violation.pk)))
    assert url("unit_detail", unit.pk) in text(client.get(url("incident_detail", incident.pk)))


def test_perpetrator_unit_typed_by_its_exact_name(login, cast, violation, unit):
    response = login(cast.documenter).post(
        url("perpetration_add", violation.pk),
        {"unit": unit.name.upper(), "involvement": "ordered"},
    )
    assert response.status_code == 302
    assert Perpetration.objects.get().unit == unit


def test_ambiguous_unknown_or_foreign_units_are_rejected(login, cast, violation, beacon_unit):
    make_unit(cast.acme, name="Twin")
    make_unit(cast.acme, name="Twin")
    client = login(cast.documenter)
    for value in ["Twin", "Nobody", f"Beacon Militia [#{beacon_unit.pk}]", "Beacon Militia"]:
        response = client.post(
            url("perpetration_add", violation.pk), {"unit": value, "involvement": "direct"}
        )
        assert response.status_code == 422, value
        assert 'id="id_unit" ' in text(response) or 'id="id_unit"' in text(response)
        assert 'aria-invalid="true"' in text(response)
    make_unit(cast.acme, name="Solo")
    for data in [
        {"unit": "Solo", "involvement": "nonsense"},
        {"unit": "", "person": "", "involvement": "direct"},
        {"unit": "Solo", "person": "P-NOPE1", "involvement": "direct"},
    ]:
        response = client.post(url("perpetration_add", violation.pk), data)
        assert response.status_code == 422, data
        assert 'aria-invalid="true"' in text(response)
    assert not Perpetration.objects.exists()


def test_a_person_can_be_named_as_perpetrator_with_or_without_a_unit(login, cast, violation, unit):
    commander = make_person(cast.acme, full_name="Ivan Petrenko")
    client = login(cast.documenter)
    alone = client.post(
        url("perpetration_add", violation.pk),
        {"person": commander.code, "involvement": "ordered"},
    )
    assert alone.status_code == 302
    both = client.post(
        url("perpetration_add", violation.pk),
        {"person": commander.code, "unit": unit.name, "involvement": "direct"},
    )
    assert both.status_code == 302
    assert list(Perpetration.objects.order_by("pk").values_list("person", "unit")) == [
        (commander.pk, None),
        (commander.pk, unit.pk),
    ]
    page = text(client.get(url("violation_links", violation.pk)))
    assert commander.code in page and "Petrenko" not in page


def test_viewer_and_outsider_cannot_add_or_remove_perpetrators(
    login, client, cast, violation, unit
):
    data = {"unit": unit.name, "involvement": "direct"}
    anonymous = client.post(url("perpetration_add", violation.pk), data)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    for user in [cast.viewer, cast.outsider]:
        c = login(user)
        assert c.get(url("violation_links", violation.pk)).status_code == 404
        assert c.post(url("perpetration_add", violation.pk), data).status_code == 404
    assert not Perpetration.objects.exists()
    perpetration = actions.add_perpetration(None, violation, unit=unit, involvement="direct")
    for user in [cast.viewer, cast.outsider]:
        assert login(user).post(url("perpetration_remove", perpetration.pk)).status_code == 404
    assert Perpetration.objects.filter(pk=perpetration.pk).exists()


def test_documenter_removes_a_perpetrator_audited(login, cast, violation, unit):
    perpetration = actions.add_perpetration(None, violation, unit=unit, involvement="direct")
    response = login(cast.documenter).post(url("perpetration_remove", perpetration.pk))
    assert response.status_code == 302
    assert response["Location"] == url("violation_links", violation.pk)
    assert not Perpetration.objects.exists()
    assert audited("violations.perpetration.deleted", perpetration)


def test_unit_lookup_offers_only_the_organisations_units(login, client, cast, unit, beacon_unit):
    make_unit(cast.acme, name="Brigade of the South")
    anonymous = client.get(url("unit_lookup") + "?unit=Brig")
    assert anonymous.status_code == 302
    page = text(login(cast.documenter).get(url("unit_lookup") + "?unit=brig"))
    assert f"3rd Motorised Brigade [#{unit.pk}]" in page
    assert "Brigade of the South" in page
    assert "Beacon" not in text(login(cast.documenter).get(url("unit_lookup") + "?unit=Beac"))
    assert "Beacon Militia" in text(login(cast.outsider).get(url("unit_lookup") + "?unit=Beac"))


def test_violation_links_page_keeps_a_constant_number_of_queries(
    login, cast, incident, violation, django_assert_num_queries
):
    client = login(cast.documenter)

    def grow(n: int) -> None:
        for i in range(n):
            unit = make_unit(cast.acme, name=f"Unit {n} {i}")
            actions.add_perpetration(None, violation, unit=unit, involvement="direct")
            witness = make_person(cast.acme, full_name=f"Witness {n} {i}")
            actions.link_person(None, violation, witness, "witness")
            actions.create_source(
                None, cast.acme, kind="testimony", title=f"S{n}{i}", violations=[violation]
            )

    grow(1)
    baseline = count_queries(client, url("violation_links", violation.pk))
    grow(5)
    with django_assert_num_queries(baseline):
        client.get(url("violation_links", violation.pk))


# --- Witnesses and sources persons ---------------------------------------------------------------


def test_documenter_links_a_witness_by_code_and_unlinks_audited(login, cast, violation):
    witness = make_person(cast.acme, full_name="Witness One")
    client = login(cast.documenter)
    response = client.post(
        url("person_role_add", violation.pk), {"code": witness.code.lower(), "role": "witness"}
    )
    assert response.status_code == 302
    link = PersonRole.objects.get(person=witness)
    assert link.role == PersonRole.Role.WITNESS
    assert audited("violations.person.linked", link)
    page = text(client.get(url("violation_links", violation.pk)))
    assert witness.code in page
    assert "Witness One" not in page  # never the identity
    assert client.post(url("person_role_remove", link.pk)).status_code == 302
    assert not PersonRole.objects.filter(pk=link.pk).exists()
    assert audited("violations.person.unlinked", link)


def test_source_role_and_bad_person_links_are_rejected(login, cast, violation, person):
    client = login(cast.documenter)
    beacon_person = make_person(cast.beacon, full_name="Beacon Person")
    before = PersonRole.objects.count()
    for data in [
        {"code": "P-NOPE1", "role": "witness"},
        {"code": beacon_person.code, "role": "witness"},
        {"code": person.code, "role": "victim"},  # the victim is set on the act, not here
        {"code": "", "role": "source"},
    ]:
        response = client.post(url("person_role_add", violation.pk), data)
        assert response.status_code == 422, data
        assert 'aria-invalid="true"' in text(response)
    assert PersonRole.objects.count() == before
    ok = client.post(url("person_role_add", violation.pk), {"code": person.code, "role": "source"})
    assert ok.status_code == 302
    again = client.post(
        url("person_role_add", violation.pk), {"code": person.code, "role": "source"}
    )
    assert again.status_code == 422
    assert "already has this role" in text(again)
    assert PersonRole.objects.filter(person=person, role="source").count() == 1


def test_victim_link_cannot_be_removed_here_and_others_cannot_link(
    login, client, cast, violation, person
):
    victim_link = PersonRole.objects.get(violation=violation, role="victim")
    assert login(cast.documenter).post(url("person_role_remove", victim_link.pk)).status_code == 404
    witness = make_person(cast.acme, full_name="Witness Two")
    data = {"code": witness.code, "role": "witness"}
    client.logout()
    anonymous = client.post(url("person_role_add", violation.pk), data)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    link = actions.link_person(None, violation, witness, "witness")
    for user in [cast.viewer, cast.outsider]:
        c = login(user)
        assert c.post(url("person_role_add", violation.pk), data).status_code == 404
        assert c.post(url("person_role_remove", link.pk)).status_code == 404
    assert PersonRole.objects.filter(pk=link.pk).exists()
    assert PersonRole.objects.filter(violation=violation).count() == 2


# --- Incident relations ---------------------------------------------------------------------------


def test_documenter_relates_incidents_by_number_and_by_pick_audited(login, cast, incident):
    siege = make_incident(cast.acme, title="Siege of the city")
    convoy = make_incident(cast.acme, title="Attack on the convoy")
    client = login(cast.documenter)
    assert client.get(url("incident_relations", incident.pk)).status_code == 200
    response = client.post(
        url("incident_relations", incident.pk), {"to_incident": str(siege.pk), "kind": "part_of"}
    )
    assert response.status_code == 302
    picked = client.post(
        url("incident_relations", incident.pk),
        {"to_incident": f"Attack on the convoy [#{convoy.pk}]", "kind": "precedes", "note": "x"},
    )
    assert picked.status_code == 302
    relations = IncidentRelation.objects.order_by("pk")
    assert [(r.to_incident, r.kind) for r in relations] == [
        (siege, "part_of"),
        (convoy, "precedes"),
    ]
    assert audited("violations.incident.related", relations[0])
    page = text(client.get(url("incident_detail", incident.pk)))
    assert "Siege of the city" in page and "Attack on the convoy" in page
    other_side = text(client.get(url("incident_detail", siege.pk)))
    assert "Shelling of the market" in other_side
    lookup = text(client.get(url("incident_lookup") + "?to_incident=siege"))
    assert f"Siege of the city [#{siege.pk}]" in lookup


def test_bad_relations_are_rejected_and_nothing_saved(login, cast, incident, beacon_incident):
    client = login(cast.documenter)
    for data in [
        {"to_incident": str(incident.pk), "kind": "same_as"},  # itself
        {"to_incident": str(beacon_incident.pk), "kind": "same_as"},  # another organisation
        {"to_incident": "999999", "kind": "follows"},
        {"to_incident": "market", "kind": "follows"},
        {"to_incident": str(make_incident(cast.acme, title="B").pk), "kind": "causes"},
    ]:
        response = client.post(url("incident_relations", incident.pk), data)
        assert response.status_code == 422, data
        assert 'aria-invalid="true"' in text(response)
    assert not IncidentRelation.objects.exists()
    assert "Raid on the clinic" not in text(client.get(url("incident_lookup") + "?q=Raid"))


def test_relations_are_denied_to_viewer_outsider_and_anonymous(login, client, cast, incident):
    other = make_incident(cast.acme, title="Siege of the city")
    data = {"to_incident": str(other.pk), "kind": "part_of"}
    anonymous = client.post(url("incident_relations", incident.pk), data)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    relation = actions.relate_incidents(None, incident, other, "follows")
    for user in [cast.viewer, cast.outsider]:
        c = login(user)
        assert c.get(url("incident_relations", incident.pk)).status_code == 404
        assert c.post(url("incident_relations", incident.pk), data).status_code == 404
        assert c.post(url("relation_remove", relation.pk)).status_code == 404
    assert IncidentRelation.objects.count() == 1


def test_documenter_removes_a_relation_audited(login, cast, incident):
    other = make_incident(cast.acme, title="Siege of the city")
    relation = actions.relate_incidents(None, incident, other, "follows")
    response = login(cast.documenter).post(
        url("relation_remove", relation.pk), {"back": str(other.pk)}
    )
    assert response.status_code == 302
    assert response["Location"] == url("incident_relations", other.pk)
    assert not IncidentRelation.objects.exists()
    assert AuditEntry.objects.filter(action="violations.incident.unrelated").exists()


def test_restricted_related_incident_is_not_named_to_those_without_access(login, cast, incident):
    secret = make_incident(cast.acme, title="Secret detention site", sensitivity="restricted")
    actions.relate_incidents(None, incident, secret, "part_of")
    page = text(login(cast.documenter).get(url("incident_detail", incident.pk)))
    assert "Secret detention site" not in page
    page = text(login(cast.documenter).get(url("incident_relations", incident.pk)))
    assert "Secret detention site" not in page


# --- Units and commanders ---------------------------------------------------------------------


def test_unit_list_shows_the_hierarchy_of_own_units_only(login, cast, unit, beacon_unit):
    battalion = make_unit(cast.acme, name="1st Battalion", parent=unit)
    page = text(login(cast.documenter).get(url("unit_list")))
    assert "1st Battalion" in page and "3rd Motorised Brigade" in page
    assert url("unit_detail", unit.pk) in page
    assert "Beacon Militia" not in page
    assert url("unit_create") in page
    found = text(login(cast.documenter).get(url("unit_list") + "?q=battal"))
    assert "1st Battalion" in found and url("unit_detail", battalion.pk) in found
    viewer_page = text(login(cast.viewer).get(url("unit_list")))
    assert "3rd Motorised Brigade" in viewer_page and url("unit_create") not in viewer_page


def test_unit_list_pages_by_name(login, cast, monkeypatch):
    from justicework.violations import views

    monkeypatch.setattr(views, "UNIT_PAGE", 2)
    alpha = make_unit(cast.acme, name="Alpha")
    twins = [make_unit(cast.acme, name="Bravo", country=c) for c in ["UA", "SY"]]
    make_unit(cast.acme, name="Charlie")
    client = login(cast.documenter)
    first = text(client.get(url("unit_list")))
    assert url("unit_detail", alpha.pk) in first and url("unit_detail", twins[0].pk) in first
    assert url("unit_detail", twins[1].pk) not in first and "Charlie" not in first
    next_link = f"?q=&amp;after=Bravo&amp;after_id={twins[0].pk}"
    assert next_link in first
    second = text(client.get(url("unit_list") + next_link.replace("&amp;", "&")))
    assert url("unit_detail", twins[1].pk) in second and "Charlie" in second
    assert url("unit_detail", alpha.pk) not in second


def test_unit_list_keeps_a_constant_number_of_queries(login, cast, django_assert_num_queries):
    client = login(cast.documenter)
    parent = make_unit(cast.acme, name="Army")

    def grow(n: int) -> None:
        for i in range(n):
            make_unit(cast.acme, name=f"Unit {n} {i}", parent=parent, country="UA")

    grow(1)
    baseline = count_queries(client, url("unit_list"))
    grow(6)
    with django_assert_num_queries(baseline):
        client.get(url("unit_list"))


def test_documenter_records_and_edits_a_unit_audited(login, cast, unit):
    client = login(cast.documenter)
    assert client.get(url("unit_create")).status_code == 200
    response = client.post(
        url("unit_create"),
        {
            "name": "2nd Battalion",
            "kind": "armed_forces",
            "parent": f"x [#{unit.pk}]",
            "country": "UA",
            "description": "",
        },
    )
    assert response.status_code == 302
    battalion = Unit.objects.get(name="2nd Battalion")
    assert (battalion.parent, battalion.country) == (unit, "UA")
    assert audited("violations.unit.created", battalion)
    edit = client.get(url("unit_edit", battalion.pk))
    assert f"3rd Motorised Brigade [#{unit.pk}]" in text(edit)
    response = client.post(
        url("unit_edit", battalion.pk),
        {"name": "2nd Assault Battalion", "kind": "armed_forces", "parent": "", "country": "UA"},
    )
    assert response.status_code == 302
    battalion.refresh_from_db()
    assert (battalion.name, battalion.parent) == ("2nd Assault Battalion", None)
    assert audited("violations.unit.updated", battalion)


def test_bad_units_are_rejected_and_nothing_changes(login, cast, unit, beacon_unit):
    child = make_unit(cast.acme, name="Company A", parent=unit)
    client = login(cast.documenter)
    for data in [
        {"name": "", "kind": "armed_forces"},
        {"name": "X", "kind": "dragons"},
        {"name": "X", "kind": "police", "country": "XX"},
        {"name": "X", "kind": "police", "parent": f"Beacon Militia [#{beacon_unit.pk}]"},
    ]:
        response = client.post(url("unit_create"), data)
        assert response.status_code == 422, data
        assert 'aria-invalid="true"' in text(response)
    assert Unit.objects.filter(organisation=cast.acme).count() == 2
    cycle = client.post(
        url("unit_edit", unit.pk),
        {"name": unit.name, "kind": unit.kind, "parent": f"Company A [#{child.pk}]"},
    )
    assert cycle.status_code == 422
    assert "part of itself" in text(cycle)
    unit.refresh_from_db()
    assert unit.parent is None
    assert not AuditEntry.objects.filter(action="violations.unit.updated").exists()


def test_units_are_denied_to_viewer_outsider_and_anonymous(login, client, cast, unit):
    data = {"name": "X", "kind": "police"}
    for target in [url("unit_list"), url("unit_create"), url("unit_detail", unit.pk)]:
        anonymous = client.get(target)
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    viewer = login(cast.viewer)
    assert viewer.get(url("unit_detail", unit.pk)).status_code == 200
    assert viewer.get(url("unit_create")).status_code == 403
    assert viewer.post(url("unit_create"), data).status_code == 403
    assert viewer.get(url("unit_edit", unit.pk)).status_code == 404
    outsider = login(cast.outsider)
    assert outsider.get(url("unit_detail", unit.pk)).status_code == 404
    assert outsider.post(url("unit_edit", unit.pk), data).status_code == 404
    assert login(cast.loner).get(url("unit_create")).status_code == 403
    assert list(Unit.objects.values_list("name", flat=True)) == [unit.name]


def test_documenter_adds_and_removes_a_commander_audited(login, cast, unit, person):
    client = login(cast.documenter)
    response = client.post(
        url("commander_add", unit.pk),
        {
            "code": person.code,
            "title": "Colonel",
            "start_date": "2022-02-01",
            "end_date": "2022-09-30",
        },
    )
    assert response.status_code == 302
    command = UnitCommander.objects.get()
    assert (command.person, command.start_date) == (person, dt.date(2022, 2, 1))
    assert audited("violations.unit.commander_added", command)
    page = text(client.get(url("unit_detail", unit.pk)))
    assert person.code in page and "Colonel" in page and "30 September 2022" in page
    assert "Олена" not in page
    assert client.post(url("commander_remove", command.pk)).status_code == 302
    assert not UnitCommander.objects.exists()
    assert audited("violations.unit.commander_removed", command)


def test_bad_commanders_are_rejected_and_others_are_denied(login, cast, unit, person):
    beacon_person = make_person(cast.beacon, full_name="Beacon Person")
    client = login(cast.documenter)
    for data in [
        {"code": person.code, "start_date": "2022-09-30", "end_date": "2022-02-01"},
        {"code": beacon_person.code},
        {"code": "P-NOPE1"},
        {"code": person.code, "start_date": "not a date"},
    ]:
        response = client.post(url("commander_add", unit.pk), data)
        assert response.status_code == 422, data
        assert 'aria-invalid="true"' in text(response)
    assert not UnitCommander.objects.exists()
    command = actions.add_unit_commander(None, unit, person, title="General")
    for user in [cast.viewer, cast.outsider]:
        c = login(user)
        assert c.post(url("commander_add", unit.pk), {"code": person.code}).status_code == 404
        assert c.post(url("commander_remove", command.pk)).status_code == 404
    assert "General" in text(login(cast.viewer).get(url("unit_detail", unit.pk)))
    assert UnitCommander.objects.count() == 1


# --- Accessibility -------------------------------------------------------------------------------


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
        if tag in {"input", "select", "textarea"} and found.get("type") not in {"hidden", "submit"}:
            self.controls.append(found)


@pytest.mark.parametrize(
    "name",
    [
        "source_create",
        "source_edit",
        "violation_links",
        "incident_relations",
        "unit_list",
        "unit_create",
        "unit_edit",
        "unit_detail",
    ],
)
def test_every_control_on_the_linking_pages_has_a_label(
    login, cast, incident, violation, unit, name
):
    source = actions.create_source(None, cast.acme, kind="photo", title="P", incidents=[incident])
    args = {
        "source_create": [incident.pk],
        "source_edit": [source.pk],
        "violation_links": [violation.pk],
        "incident_relations": [incident.pk],
        "unit_edit": [unit.pk],
        "unit_detail": [unit.pk],
    }.get(name, [])
    parser = _Controls()
    parser.feed(text(login(cast.documenter).get(url(name, *args))))
    # The header's language switcher and "next" field are the base template's.
    main_controls = [
        c
        for c in parser.controls
        if c.get("name") != "next" and (c.get("name") != "language" or c.get("id") == "id_language")
    ]
    assert main_controls
    unlabelled = [c for c in main_controls if c.get("id") not in parser.labelled]
    assert unlabelled == []


def test_unit_page_lists_incidents_attributed_to_it_that_the_user_may_open(login, cast, unit):
    market = make_incident(cast.acme, title="Shelling of the market")
    secret = make_incident(cast.acme, title="Secret detention site", sensitivity="restricted")
    make_incident(cast.acme, title="Unrelated raid")
    for incident in [market, secret]:
        actions.add_perpetration(None, make_violation(incident), unit=unit, involvement="direct")
    page = text(login(cast.documenter).get(url("unit_detail", unit.pk)))
    assert "Shelling of the market" in page
    assert "Secret detention site" not in page
    assert "Unrelated raid" not in page
    assert "Secret detention site" in text(login(cast.admin).get(url("unit_detail", unit.pk)))


def test_unit_page_keeps_a_constant_number_of_queries(login, cast, unit, django_assert_num_queries):
    client = login(cast.documenter)

    def grow(n: int) -> None:
        for i in range(n):
            incident = make_incident(cast.acme, title=f"Incident {n} {i}")
            actions.add_perpetration(
                None, make_violation(incident), unit=unit, involvement="direct"
            )
            actions.add_unit_commander(
                None, unit, make_person(cast.acme, full_name=f"Commander {n} {i}")
            )
            make_unit(cast.acme, name=f"Sub {n} {i}", parent=unit)

    grow(1)
    baseline = count_queries(client, url("unit_detail", unit.pk))
    grow(5)
    with django_assert_num_queries(baseline):
        client.get(url("unit_detail", unit.pk))


# --- In a real browser: the HTMX lookup under the strict CSP ------------------------------------


@pytest.fixture
def browser_page(live_server: Any, transactional_db: None, monkeypatch: Any) -> Iterator[Any]:
    # Playwright runs an event loop; scoped to this test so it never leaks into subprocesses.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    from .test_browser import CHROMIUM, LAUNCH_ARGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        page = browser.new_context(locale="en-GB").new_page()
        page.set_default_timeout(15_000)
        problems: list[str] = []
        page.problems = problems  # type: ignore[attr-defined]  # collected for the assertions
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: problems.append(str(exc)))
        yield page
        browser.close()


@pytest.mark.browser
@pytest.mark.skipif(
    not (shutil.which("chromium") or shutil.which("chromium-browser"))
    and os.environ.get("CI", "").lower() != "true",
    reason="chromium is not installed (apt-get install chromium); CI fails instead",
)
def test_documenter_picks_a_perpetrator_unit_from_the_lookup_in_a_browser(
    browser_page: Any, live_server: Any, cast: Any
) -> None:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from .test_browser import _sign_in_with_totp

    page = browser_page
    incident = make_incident(cast.acme)
    violation = make_violation(incident)
    unit = make_unit(cast.acme, name="3rd Motorised Brigade")
    make_unit(cast.beacon, name="3rd Brigade of Beacon")
    secret = generate_totp_secret()
    TOTP.activate(cast.documenter, secret)
    _sign_in_with_totp(page, live_server.url, cast.documenter.email, cast.password, secret)

    page.goto(f"{live_server.url}{url('incident_detail', incident.pk)}")
    page.click(f"a[href='{url('violation_links', violation.pk)}']")
    page.locator("#id_unit").press_sequentially("brig", delay=50)
    option = page.locator(f"#id_unit-options option[value='3rd Motorised Brigade [#{unit.pk}]']")
    option.wait_for(state="attached")
    assert page.locator("#id_unit-options option").count() == 1  # not beacon's unit
    page.fill("#id_unit", option.get_attribute("value"))
    page.select_option("#id_involvement", "direct")
    page.click("form[action$='/perpetrators/add/'] button[type='submit']")
    page.wait_for_selector("#perpetrators + .table-wrap table")
    table = page.locator("#perpetrators + .table-wrap table")
    assert table.get_by_role("link", name="3rd Motorised Brigade").is_visible()
    assert Perpetration.objects.get().unit == unit
    assert page.problems == []  # no CSP violation, no script error
