"""The matrix page's cells (strength and counts, entries on demand) and a cell's entries (the
htmx fragment and the page without JavaScript): allow and deny, links to the records, a record
the reader may not see, queries that do not grow with the entries, and the in-place edit."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from justicework.audit.models import AuditEntry
from justicework.law import actions_cases as actions
from justicework.law.models import Charge, MatrixEntry
from justicework.violations import actions as violation_actions
from tests.violations.conftest import make_incident, make_violation

HX = {"HX-Request": "true"}


@pytest.fixture
def charge(records: SimpleNamespace) -> Charge:
    return actions.add_charge(None, records.case, crime_id="7(1)(a)", mode_id="25(3)(c)")


def _entry(charge: Charge, link: Any, **fields: Any) -> MatrixEntry:
    fields = {"part": "crime", "element": 1, "bearing": "supports", "strength": "weak"} | fields
    return actions.add_matrix_entry(None, charge, link=link, **fields)


def _cell(charge: Charge, part: str = "crime", number: int = 1) -> str:
    return f"/law/charges/{charge.pk}/cells/{part}/{number}/"


def _source(cast: SimpleNamespace) -> Any:
    return violation_actions.create_source(None, cast.acme, kind="document", title="Order 17")


def test_matrix_cell_shows_strength_counts_and_a_link_to_its_entries(
    records, cast, login, charge
) -> None:
    _entry(charge, records.violation, strength="strong", note="Two witnesses")
    _entry(charge, records.incident, bearing="contradicts", strength="moderate")
    page = login(cast.viewer).get(f"/law/cases/{records.case.pk}/matrix/").content.decode()
    assert f'id="strength-{charge.pk}-crime-1" class="law-strength law-strength--strong"' in page
    assert "1 supporting" in page and "1 contradicting" in page and "⚠" in page
    url = _cell(charge)
    # loaded on demand by htmx, and a plain link without JavaScript
    assert f'hx-get="{url}"' in page and f'<a href="{url}">' in page
    assert "Two witnesses" not in page  # entries are not rendered on the matrix page
    assert "law-gap" in page  # the other cells are gaps


def test_cell_fragment_and_page_list_entries_with_links_to_their_records(
    records, cast, login, charge
) -> None:
    source = _source(cast)
    _entry(charge, records.violation, note="Two witnesses")
    _entry(charge, records.incident)
    _entry(charge, records.item)
    _entry(charge, source, bearing="contradicts")
    client = login(cast.analyst)
    fragment = client.get(_cell(charge), headers=HX)
    assert fragment.status_code == 200 and fragment["Vary"].find("HX-Request") >= 0
    html = fragment.content.decode()
    assert "<html" not in html and 'class="law-cell-entries"' in html
    incident = f"/incidents/{records.incident.pk}/"
    assert f'href="{incident}#violation-{records.violation.pk}"' in html
    assert f'href="{incident}"' in html
    assert f'href="/evidence/items/{records.item.pk}/"' in html
    assert f'href="/sources/?after={source.pk + 1}"' in html
    assert "Two witnesses" in html and "Order 17" in html
    page = client.get(_cell(charge)).content.decode()
    assert "<html" in page and "Two witnesses" in page
    assert f"/law/cases/{records.case.pk}/matrix/#cell-{charge.pk}-crime-1" in page


def test_hidden_record_is_not_listed_and_counts_as_the_matrix_always_counted(
    records, cast, login, charge
) -> None:
    """A restricted incident: the viewer sees the entry's assessment (gaps stay the same for
    everyone on the case, as ``matrix_for`` decides) but never the record's title, id or link."""
    from justicework.law.queries_cases import matrix_for

    _entry(charge, records.incident, strength="strong", note="From the field report")
    violation_actions.update_incident(
        None, records.incident, sensitivity="restricted", title="Secret raid at Bakhmut"
    )
    client = login(cast.viewer)
    page = client.get(f"/law/cases/{records.case.pk}/matrix/").content.decode()
    old = matrix_for(cast.viewer, records.case, "en").rows[0].cells[0]
    assert (old.strength, len(old.entries)) == ("strong", 1)
    assert "law-strength--strong" in page and "1 supporting" in page
    for url, headers in ((_cell(charge), HX), (_cell(charge), {})):
        html = client.get(url, headers=headers).content.decode()
        assert "a record you may not see" in html
        assert "Secret raid" not in html
        assert f"/incidents/{records.incident.pk}/" not in html
    admin = login(cast.admin).get(_cell(charge), headers=HX).content.decode()
    assert "Secret raid" in admin and f"/incidents/{records.incident.pk}/" in admin


def test_cell_is_404_for_outsiders_restricted_cases_and_unknown_elements(
    records, cast, login, charge
) -> None:
    _entry(charge, records.violation)
    assert login(cast.outsider).get(_cell(charge)).status_code == 404
    assert login(cast.outsider).get(_cell(charge), headers=HX).status_code == 404
    client = login(cast.analyst)
    assert client.get(_cell(charge, number=99)).status_code == 404
    assert client.get(_cell(charge, part="other")).status_code == 404
    assert client.get(_cell(charge, part="mode", number=1)).status_code == 200
    actions.update_case_file(None, records.case, restricted=True)
    assert login(cast.viewer).get(_cell(charge)).status_code == 404


def test_anonymous_is_sent_to_sign_in(records, charge) -> None:
    entry = _entry(charge, records.violation)
    response = Client().get(_cell(charge))
    assert response.status_code == 302 and "login" in response["Location"]
    response = Client().post(f"/law/entries/{entry.pk}/edit/", {"strength": "strong"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert MatrixEntry.objects.get().strength == "weak"


def test_cell_queries_do_not_grow_with_its_entries(records, cast, login, charge) -> None:
    other = make_incident(cast.acme, title="Second")
    facts = [make_violation(records.incident) for _ in range(2)]
    facts += [make_violation(other) for _ in range(18)]
    for fact in facts[:2]:
        _entry(charge, fact)
    _entry(charge, records.item)
    client = login(cast.analyst)
    client.get(_cell(charge), headers=HX)
    with CaptureQueriesContext(connection) as few:
        assert client.get(_cell(charge), headers=HX).status_code == 200
    for fact in facts[2:]:
        _entry(charge, fact, strength="moderate")
    _entry(charge, _source(cast))
    with CaptureQueriesContext(connection) as many:
        response = client.get(_cell(charge), headers=HX)
    assert response.content.decode().count("<li id=") == 22
    # one more kind of record (the source) is one more query, never one per entry
    assert len(many.captured_queries) <= len(few.captured_queries) + 1


def test_analyst_edits_an_entry_in_place(records, cast, login, charge) -> None:
    entry = _entry(charge, records.violation, note="One witness")
    client = login(cast.analyst)
    response = client.post(
        f"/law/entries/{entry.pk}/edit/",
        {"strength": "strong", "bearing": "supports", "note": "Three witnesses"},
        headers=HX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Three witnesses" in html and "Saved." in html
    # the cell's strength and counts on the matrix are refreshed out of band
    key = f"{charge.pk}-crime-1"
    assert f'id="strength-{key}" class="law-strength law-strength--strong" hx-swap-oob="true"' in (
        html
    )
    assert f'id="count-{key}" hx-swap-oob="true"' in html
    stored = MatrixEntry.objects.get()
    assert (stored.strength, stored.note) == ("strong", "Three witnesses")
    assert AuditEntry.objects.filter(action="law.matrix.entry_updated").count() == 1


def test_edit_without_javascript_returns_to_the_cell_page(records, cast, login, charge) -> None:
    entry = _entry(charge, records.violation)
    response = login(cast.analyst).post(
        f"/law/entries/{entry.pk}/edit/", {"bearing": "contradicts"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{_cell(charge)}#entry-{entry.pk}"
    assert MatrixEntry.objects.get().bearing == "contradicts"


@pytest.mark.parametrize("headers", [HX, {}])
def test_bad_edit_names_the_field_and_changes_nothing(
    records, cast, login, charge, headers
) -> None:
    entry = _entry(charge, records.violation, note="One witness")
    response = login(cast.analyst).post(
        f"/law/entries/{entry.pk}/edit/",
        {"strength": "overwhelming", "bearing": "supports", "note": "changed"},
        headers=headers,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Strength: Choose none, weak, moderate or strong." in html
    assert f'id="strength-{entry.pk}" name="strength" aria-invalid="true"' in html
    assert "changed</textarea>" in html  # what was typed is kept for the correction
    stored = MatrixEntry.objects.get()
    assert (stored.strength, stored.note) == ("weak", "One witness")
    assert not AuditEntry.objects.filter(action="law.matrix.entry_updated").exists()


def test_long_note_is_refused_by_name(records, cast, login, charge) -> None:
    entry = _entry(charge, records.violation)
    response = login(cast.analyst).post(
        f"/law/entries/{entry.pk}/edit/", {"note": "x" * (actions.NOTE_MAX + 1)}, headers=HX
    )
    assert response.status_code == 422 and "Note: The note is longer" in response.content.decode()
    assert MatrixEntry.objects.get().note == ""


@pytest.mark.parametrize(("who", "status"), [("viewer", 403), ("documenter", 403)])
def test_readers_without_change_rights_cannot_edit(
    records, cast, login, charge, who, status
) -> None:
    entry = _entry(charge, records.violation)
    client = login(getattr(cast, who))
    page = client.get(_cell(charge)).content.decode()
    assert "/edit/" not in page and "Remove the entry" not in page
    response = client.post(f"/law/entries/{entry.pk}/edit/", {"strength": "strong"}, headers=HX)
    assert response.status_code == status
    assert MatrixEntry.objects.get().strength == "weak"


def test_other_organisation_gets_404_on_edit(records, cast, login, charge) -> None:
    entry = _entry(charge, records.violation)
    for who in (cast.outsider, cast.beacon_admin):
        response = login(who).post(f"/law/entries/{entry.pk}/edit/", {"strength": "strong"})
        assert response.status_code == 404
    assert MatrixEntry.objects.get().strength == "weak"


def test_edit_needs_post(records, cast, login, charge) -> None:
    entry = _entry(charge, records.violation)
    assert login(cast.analyst).get(f"/law/entries/{entry.pk}/edit/").status_code == 405
