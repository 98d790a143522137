"""The case pages: allow and deny for analyst, documenter, viewer and another organisation;
pickers offer only visible records; the matrix page's queries do not grow with its entries."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from justicework.law import actions_cases as actions
from justicework.law.models import CaseFile, Charge, MatrixEntry
from tests.violations.conftest import make_incident, make_violation


def _charge(records: Any) -> Charge:
    return actions.add_charge(None, records.case, crime_id="7(1)(a)", mode_id="25(3)(c)")


def test_case_pages_open_for_the_organisations_readers(records, cast, login) -> None:
    _charge(records)
    pk = records.case.pk
    for user in (cast.analyst, cast.documenter, cast.viewer):
        client = login(user)
        for url in ("/law/cases/", f"/law/cases/{pk}/", f"/law/cases/{pk}/matrix/"):
            response = client.get(url)
            assert response.status_code == 200, (user, url)
        assert b"Crime 1." in client.get(f"/law/cases/{pk}/matrix/").content
        assert "law-gap" in client.get(f"/law/cases/{pk}/matrix/").content.decode()
        missing = client.get(f"/law/cases/{pk}/missing/").content.decode()
        assert "Testimony" in missing and "7(1)(a)" in missing


def test_outsider_gets_404_everywhere(records, cast, login) -> None:
    charge = _charge(records)
    client = login(cast.outsider)
    pk = records.case.pk
    for url in ("", "matrix/", "missing/"):
        assert client.get(f"/law/cases/{pk}/{url}").status_code == 404
    assert client.get(f"/law/charges/{charge.pk}/entries/new/").status_code == 404
    assert records.case.title not in client.get("/law/cases/").content.decode()


def test_viewer_cannot_open_a_restricted_case(records, cast, login) -> None:
    actions.update_case_file(None, records.case, restricted=True)
    assert login(cast.viewer).get(f"/law/cases/{records.case.pk}/").status_code == 404
    assert login(cast.analyst).get(f"/law/cases/{records.case.pk}/").status_code == 200


def test_analyst_opens_a_case_through_the_form(cast, login) -> None:
    client = login(cast.analyst)
    assert client.get("/law/cases/new/").status_code == 200
    data = {"organisation": cast.acme.pk, "title": "Izium", "country": "UA"}
    response = client.post("/law/cases/new/", data)
    case = CaseFile.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/law/cases/{case.pk}/"
    bad = client.post("/law/cases/new/", data | {"country": ""})
    assert bad.status_code == 200 and CaseFile.objects.count() == 1


def test_documenter_cannot_open_or_change_a_case(records, cast, login) -> None:
    client = login(cast.documenter)
    assert client.get("/law/cases/new/").status_code == 403
    pk = records.case.pk
    response = client.post(f"/law/cases/{pk}/charges/", {"crime_id": "7(1)(a)", "mode_id": "30"})
    assert response.status_code == 403
    response = client.post(
        f"/law/cases/{pk}/link/", {"field": "violations", "record": records.violation.pk}
    )
    assert response.status_code == 403
    assert not Charge.objects.exists() and not records.case.violations.exists()
    charge = _charge(records)
    assert client.get(f"/law/charges/{charge.pk}/entries/new/").status_code == 403


def test_pickers_offer_only_the_organisations_visible_records(records, cast, login) -> None:
    client = login(cast.analyst)
    page = client.get(f"/law/cases/{records.case.pk}/").content.decode()
    assert f'<option value="{records.violation.pk}">' in page
    assert records.other_incident.title not in page
    response = client.post(
        f"/law/cases/{records.case.pk}/link/",
        {"field": "incidents", "record": records.other_incident.pk},
    )
    assert response.status_code == 404
    assert not records.case.incidents.exists()


def test_analyst_adds_charge_and_entry_through_the_pages(records, cast, login) -> None:
    client = login(cast.analyst)
    pk = records.case.pk
    client.post(f"/law/cases/{pk}/charges/", {"crime_id": "7(1)(a)", "mode_id": "25(3)(c)"})
    charge = Charge.objects.get()
    form = client.get(f"/law/charges/{charge.pk}/entries/new/").content.decode()
    assert f'value="item-{records.item.pk}"' in form
    entry = {"element": "crime-1", "bearing": "supports", "strength": "strong", "note": "seen"}
    response = client.post(
        f"/law/charges/{charge.pk}/entries/new/", entry | {"record": f"item-{records.item.pk}"}
    )
    assert response.status_code == 302
    assert MatrixEntry.objects.get().item == records.item
    bad = client.post(
        f"/law/charges/{charge.pk}/entries/new/",
        entry | {"element": "crime-99", "record": f"item-{records.item.pk}"},
    )
    assert bad.status_code == 422 and MatrixEntry.objects.count() == 1
    matrix = client.get(f"/law/cases/{pk}/matrix/").content.decode()
    assert "law-strength--strong" in matrix and "1 supporting" in matrix
    cell = client.get(f"/law/charges/{charge.pk}/cells/crime/1/").content.decode()
    assert "seen" in cell and f"/evidence/items/{records.item.pk}/" in cell


def test_matrix_page_queries_do_not_grow_with_entries(
    records, cast, login, django_assert_num_queries: Any
) -> None:
    charge = _charge(records)
    facts = [make_violation(records.incident) for _ in range(10)]
    other = make_incident(cast.acme, title="Second")
    facts += [make_violation(other) for _ in range(10)]

    def add(fact: Any, number: int) -> None:
        actions.add_matrix_entry(
            None, charge, part="crime", element=1 + number % 3, link=fact,
            bearing="supports", strength="weak", note=f"n{number}",
        )  # fmt: skip

    for number, fact in enumerate(facts[:2]):
        add(fact, number)
    client = login(cast.analyst)
    url = f"/law/cases/{records.case.pk}/matrix/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for number, fact in enumerate(facts[2:], start=2):
        add(fact, number)
    assert MatrixEntry.objects.count() == 20
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_analyst_edits_a_case_and_a_viewer_cannot(records, cast, login) -> None:
    url = f"/law/cases/{records.case.pk}/edit/"
    assert login(cast.viewer).get(url).status_code == 403
    assert login(cast.outsider).get(url).status_code == 404
    client = login(cast.analyst)
    assert client.get(url).status_code == 200
    data = {"title": "Renamed", "country": "UA", "restricted": "on"}
    assert client.post(url, data).status_code == 302
    records.case.refresh_from_db()
    assert (records.case.title, records.case.restricted) == ("Renamed", True)
    assert client.post(url, data | {"title": ""}).status_code == 200
    records.case.refresh_from_db()
    assert records.case.title == "Renamed"
