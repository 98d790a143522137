"""Links on the web: the item page (list, picker look-up, add, remove), the "Evidence" section
on the incident, violation, person and source pages; allow and deny, custody, query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from justicework.evidence.actions import link_item
from justicework.evidence.models import CustodyEntry, Link

from ...violations.conftest import make_incident
from ..conftest import upload_file


def _item_page(client, item):
    return client.get(reverse("evidence:item_detail", args=[item.pk]))


def test_the_item_page_lists_its_links_with_links_to_the_records(
    documenter, login, acme_item, incident, violation, person, source
):
    for record in (incident, violation, person, source):
        link_item(documenter, acme_item, record)
    page = _item_page(login(documenter), acme_item).content.decode()
    assert "Shelling of the market (ACME-2023-017)" in page
    assert reverse("violations:incident_detail", args=[incident.pk]) in page
    assert f"#violation-{violation.pk}" in page
    assert reverse("violations:person_detail", args=[person.pk]) in page
    assert person.code in page and "Hospital register" in page


def test_a_person_shows_by_code_never_by_name(documenter, analyst, login, acme_item, person):
    link_item(documenter, acme_item, person)
    for user in (documenter, analyst):  # neither holds a need-to-know grant on this person
        page = _item_page(login(user), acme_item).content.decode()
        assert person.code in page and "Олена" not in page and "Коваленко" not in page


def test_a_restricted_incident_shows_as_a_record_you_may_not_open(
    admin, documenter, login, acme, acme_item
):
    hidden = make_incident(acme, title="Secret massacre", sensitivity="restricted")
    link_item(None, acme_item, hidden)
    page = _item_page(login(documenter), acme_item).content.decode()
    assert "Secret massacre" not in page and "a record you may not open" in page


def test_the_look_up_offers_the_items_organisations_incidents_by_title_and_reference(
    documenter, login, acme_item, incident, beacon_incident
):
    client = login(documenter)
    url = reverse("evidence:link_lookup", args=[acme_item.pk])
    by_ref = client.get(url, {"kind": "incident", "target": "ACME-2023"}).content.decode()
    assert f"Shelling of the market (ACME-2023-017) [#{incident.pk}]" in by_ref
    by_title = client.get(url, {"kind": "incident", "target": "Raid"}).content.decode()
    assert "Raid" not in by_title  # beacon's incident is never offered
    by_number = client.get(url, {"kind": "incident", "target": f"#{beacon_incident.pk}"})
    assert "Raid" not in by_number.content.decode()


def test_the_look_up_finds_persons_by_code_only(documenter, login, acme_item, person):
    client = login(documenter)
    url = reverse("evidence:link_lookup", args=[acme_item.pk])
    by_code = client.get(url, {"kind": "person", "target": person.code[:4]}).content.decode()
    assert person.code in by_code and "Олена" not in by_code
    by_name = client.get(url, {"kind": "person", "target": "Олена"}).content.decode()
    assert person.code not in by_name


def test_linking_a_picked_incident_adds_a_link_and_a_custody_entry(
    documenter, login, acme_item, incident
):
    response = login(documenter).post(
        reverse("evidence:link_create", args=[acme_item.pk]),
        {"kind": "incident", "target": f"Shelling of the market [#{incident.pk}]"},
    )
    assert response.status_code == 302
    assert Link.objects.get().incident == incident
    assert CustodyEntry.objects.filter(item=acme_item, event="linked").count() == 1


def test_linking_a_person_by_typed_code(documenter, login, acme_item, person):
    response = login(documenter).post(
        reverse("evidence:link_create", args=[acme_item.pk]),
        {"kind": "person", "target": person.code.lower()},
    )
    assert response.status_code == 302 and Link.objects.get().person == person


def test_another_organisations_incident_is_refused_like_a_missing_one(
    documenter, login, acme_item, beacon_incident
):
    client = login(documenter)
    url = reverse("evidence:link_create", args=[acme_item.pk])
    other = client.post(url, {"kind": "incident", "target": f"Raid [#{beacon_incident.pk}]"})
    missing = client.post(url, {"kind": "incident", "target": "Nothing [#999999]"})
    assert other.status_code == missing.status_code == 422
    message = "There is no such incident in this item&#x27;s organisation."
    assert message in other.content.decode() and message in missing.content.decode()
    assert not Link.objects.exists()


def test_removing_a_link(documenter, login, acme_item, incident):
    link = link_item(documenter, acme_item, incident)
    response = login(documenter).post(reverse("evidence:link_remove", args=[acme_item.pk, link.pk]))
    assert response.status_code == 302 and not Link.objects.exists()
    assert CustodyEntry.objects.filter(item=acme_item, event="unlinked").count() == 1


@pytest.mark.parametrize("who", ["outsider", "beacon_admin", "viewer", "reviewer", "officer",
                                 "coordinator", "loner"])  # fmt: skip
def test_who_may_not_open_the_item_gets_404_on_every_link_view(
    cast, documenter, login, acme_item, incident, who
):
    link = link_item(documenter, acme_item, incident)
    client = login(getattr(cast, who))
    lookup = client.get(reverse("evidence:link_lookup", args=[acme_item.pk]),
                        {"kind": "incident", "target": "Shelling"})  # fmt: skip
    create = client.post(reverse("evidence:link_create", args=[acme_item.pk]),
                         {"kind": "incident", "target": f"x [#{incident.pk}]"})  # fmt: skip
    remove = client.post(reverse("evidence:link_remove", args=[acme_item.pk, link.pk]))
    assert lookup.status_code == create.status_code == remove.status_code == 404
    assert Link.objects.count() == 1


def test_a_link_of_another_item_cannot_be_removed_through_this_one(
    documenter, login, acme_item, acme, incident
):
    other = upload_file(documenter, acme, b"other bytes", filename="other.txt")
    link = link_item(documenter, other, incident)
    response = login(documenter).post(reverse("evidence:link_remove", args=[acme_item.pk, link.pk]))
    assert response.status_code == 404 and Link.objects.count() == 1


# --- The "Evidence" section on the documentation wing's pages ------------------------------------


def _record_pages(incident, violation, person, source):
    return {
        "incident": reverse("violations:incident_detail", args=[incident.pk]),
        "violation": reverse("violations:violation_links", args=[violation.pk]),
        "person": reverse("violations:person_detail", args=[person.pk]),
        "source": reverse("violations:source_edit", args=[source.pk]),
    }


def test_each_record_page_lists_its_evidence(
    documenter, login, acme_item, incident, violation, person, source
):
    pages = _record_pages(incident, violation, person, source)
    for record in (incident, violation, person, source):
        link_item(documenter, acme_item, record)
    client = login(documenter)
    for kind, url in pages.items():
        page = client.get(url).content.decode()
        assert 'id="evidence"' in page, kind
        assert acme_item.original.sha256[:12] in page and "market.mp4" in page, kind
        assert "Unverified" in page, kind
        assert reverse("evidence:item_detail", args=[acme_item.pk]) in page, kind


def test_the_incident_page_also_lists_evidence_of_its_violations(
    documenter, login, acme_item, incident, violation
):
    link_item(documenter, acme_item, violation)
    page = login(documenter).get(reverse("violations:incident_detail", args=[incident.pk]))
    assert f"through violation #{violation.pk}" in page.content.decode()


def test_a_reader_who_opens_no_evidence_sees_no_evidence_section(
    documenter, viewer, login, acme_item, incident
):
    link_item(documenter, acme_item, incident)
    page = login(viewer).get(reverse("violations:incident_detail", args=[incident.pk]))
    assert page.status_code == 200
    assert 'id="evidence"' not in page.content.decode()
    assert "market.mp4" not in page.content.decode()


def test_the_section_offers_packaging_to_those_who_may(documenter, login, acme_item, incident):
    link_item(documenter, acme_item, incident)
    page = login(documenter).get(reverse("violations:incident_detail", args=[incident.pk]))
    assert "Package this incident" in page.content.decode()


def test_the_incident_section_keeps_constant_queries(
    documenter, acme, login, incident, django_assert_max_num_queries
):
    client = login(documenter)
    url = reverse("violations:incident_detail", args=[incident.pk])
    link_item(documenter, upload_file(documenter, acme, b"first", filename="a.txt"), incident)
    client.get(url)  # warm the session
    with django_assert_max_num_queries(60) as few:
        client.get(url)
    for n in range(8):
        item = upload_file(documenter, acme, f"more {n}".encode(), filename=f"m{n}.txt")
        link_item(documenter, item, incident)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert "m7.txt" in page


def test_the_item_page_keeps_constant_queries_whatever_its_links(
    documenter, acme, login, acme_item, django_assert_max_num_queries
):
    client = login(documenter)
    first = make_incident(acme, title="First")
    link_item(documenter, acme_item, first)
    _item_page(client, acme_item)
    with django_assert_max_num_queries(60) as few:
        _item_page(client, acme_item)
    for n in range(6):
        link_item(documenter, acme_item, make_incident(acme, title=f"Incident {n}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = _item_page(client, acme_item).content.decode()
    assert "Incident 5" in page
