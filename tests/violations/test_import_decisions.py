"""Per-row decisions on an import's likely duplicates (issue 11): link a flagged row's victim to
the stored person or to an earlier row's person, or keep it new; checked when taken and when
committed, honoured by the commit, denied to who may not see the person."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from justicework.audit.models import AuditEntry
from justicework.dataio import actions as dataio_actions
from justicework.dataio.models import ImportRun
from justicework.violations import actions, import_decisions
from justicework.violations.models import ImportDuplicateDecision, Person, Violation

from .conftest import last_audit, make_person
from .test_import import MAPPING, csv_file, row
from .test_import_views import login

pytestmark = pytest.mark.django_db

BORN = dt.date(1990, 2, 1)  # "01/02/1990" in the file's day-first format


@pytest.fixture
def stored(cast):
    person = make_person(cast.acme, full_name="Олена Коваленко", date_of_birth=BORN)
    actions.grant_need_to_know(None, cast.documenter, person, reason="Check the import")
    return person


def _rows():
    return [
        row(1, Victim="Olena Kovalenko"),  # file row 2: the stored person (transliterated)
        row(2, Victim="Petro Shevchenko", Born="", Age="40"),  # row 3
        row(3, Victim="Shevchenko Petro Jr.", Born="", Age="41"),  # row 4: same as row 3
        row(4, Victim="Iryna Bondar", Born="03/04/1985"),  # row 5: not flagged
    ]


def _checked(cast, tmp_path, rows=None, spec=None):
    mapping = dataio_actions.save_mapping(
        cast.documenter, cast.acme, kind="violations", name="Survey", file_format="csv",
        spec=spec or MAPPING,
    )  # fmt: skip
    run = dataio_actions.start_run(
        cast.documenter, cast.acme, kind="violations", file_format="csv", filename="v.csv",
        chunks=[csv_file(tmp_path, rows or _rows()).read_bytes()], mapping=mapping,
    )  # fmt: skip
    return dataio_actions.dry_run(cast.documenter, run)


def _victims() -> dict[str, Person]:
    """Each imported violation's victim, by the row key it was imported from (its description
    is empty: the place and row are what the file gives; the order of creation is the row's)."""
    violations = Violation.objects.order_by("pk").prefetch_related("person_roles__person")
    return {
        f"row {n}": v.person_roles.get().person
        for n, v in enumerate(violations, start=2)
        if v.person_roles.exists()
    }


def test_a_row_linked_to_the_stored_person_attaches_its_victim_and_creates_none(
    cast, tmp_path, stored
):
    run = _checked(cast, tmp_path)
    decision = actions.decide_import_duplicate(cast.documenter, run, 2, stored.code)
    assert decision.person_id == stored.pk
    entry = last_audit("violations.import.duplicate_decided")
    assert entry.diff == {"row": 2, "link": stored.code} and "Olena" not in str(entry.diff)
    run = dataio_actions.commit_run(cast.documenter, run)
    assert run.status == ImportRun.Status.COMMITTED, run.problem
    victims = _victims()
    assert victims["row 2"] == stored
    assert Person.objects.count() == 1 + 3  # rows 3, 4 and 5 stay new: no decision
    assert len({victims["row 3"].pk, victims["row 4"].pk}) == 2


def test_a_later_row_linked_to_an_earlier_row_shares_its_new_person(cast, tmp_path, stored):
    run = _checked(cast, tmp_path)
    actions.decide_import_duplicate(cast.documenter, run, 4, "row:3")
    actions.decide_import_duplicate(cast.documenter, run, 2, "new")
    run = dataio_actions.commit_run(cast.documenter, run)
    assert run.status == ImportRun.Status.COMMITTED, run.problem
    victims = _victims()
    assert victims["row 4"] == victims["row 3"]
    assert victims["row 2"] != stored
    assert Person.objects.count() == 1 + 3  # rows 2, 3 and 5


def test_a_link_across_chunks_finds_the_earlier_rows_person(cast, tmp_path, stored, monkeypatch):
    from justicework.dataio import engine

    monkeypatch.setattr(engine, "CHUNK_SIZE", 1)
    run = _checked(cast, tmp_path)
    actions.decide_import_duplicate(cast.documenter, run, 4, "row:3")
    actions.decide_import_duplicate(cast.documenter, run, 2, stored.code)
    run = dataio_actions.commit_run(cast.documenter, run)
    assert run.status == ImportRun.Status.COMMITTED, run.problem
    victims = _victims()
    assert victims["row 4"] == victims["row 3"] and victims["row 2"] == stored


def test_without_decisions_every_flagged_row_stays_a_new_person(cast, tmp_path, stored):
    run = dataio_actions.commit_run(cast.documenter, _checked(cast, tmp_path))
    assert run.status == ImportRun.Status.COMMITTED
    assert Person.objects.count() == 1 + 4


def test_a_person_the_user_may_not_open_cannot_be_linked(cast, tmp_path):
    hidden = make_person(cast.acme, full_name="Олена Коваленко", date_of_birth=BORN)
    run = _checked(cast, tmp_path)
    audit_before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        actions.decide_import_duplicate(cast.documenter, run, 2, hidden.code)
    assert "No person whose identity you may open has the code" in " ".join(caught.value.messages)
    assert not ImportDuplicateDecision.objects.exists()
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.parametrize("who", ["viewer", "outsider", "analyst"])
def test_users_without_the_import_capability_may_not_decide(cast, tmp_path, stored, who):
    run = _checked(cast, tmp_path)
    with pytest.raises(PermissionDenied):
        actions.decide_import_duplicate(getattr(cast, who), run, 2, stored.code)
    assert not ImportDuplicateDecision.objects.exists()


def test_a_row_that_is_not_flagged_or_another_target_is_refused(cast, tmp_path, stored):
    run = _checked(cast, tmp_path)
    with pytest.raises(ValidationError, match="Row 5 has no likely duplicate to decide"):
        actions.decide_import_duplicate(cast.documenter, run, 5, stored.code)
    with pytest.raises(ValidationError, match="Row 4 is not flagged as a likely duplicate"):
        actions.decide_import_duplicate(cast.documenter, run, 4, stored.code)
    with pytest.raises(ValidationError, match="Row 4 is not flagged as a likely duplicate"):
        actions.decide_import_duplicate(cast.documenter, run, 4, "row:2")
    with pytest.raises(ValidationError, match="row:N"):
        actions.decide_import_duplicate(cast.documenter, run, 4, "row:three")
    assert not ImportDuplicateDecision.objects.exists()


def test_a_decision_the_latest_check_no_longer_supports_refuses_the_commit(cast, tmp_path, stored):
    run = _checked(cast, tmp_path)
    actions.decide_import_duplicate(cast.documenter, run, 2, stored.code)
    # The stored person's identity is corrected: the check run again no longer flags row 2.
    actions.update_person(None, stored, full_name="Марія Іваненко")
    run = dataio_actions.dry_run(cast.documenter, run)
    persons, violations = Person.objects.count(), Violation.objects.count()
    with pytest.raises(ValidationError) as caught:
        dataio_actions.schedule(cast.documenter, run, "commit")
    message = " ".join(caught.value.messages)
    assert f"Row 2: the decision to link it to {stored.code} no longer matches" in message
    with pytest.raises(ValidationError):
        dataio_actions.commit_run(cast.documenter, run)
    assert (Person.objects.count(), Violation.objects.count()) == (persons, violations)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.VALID
    # The run page shows the stale decision; keeping the row new lets the import go on.
    rows = {item.row: item for item in import_decisions.flagged_rows(cast.documenter, run)}
    assert rows[2].stale and rows[2].choices == [("new", "new", "")]
    actions.decide_import_duplicate(cast.documenter, run, 2, "new")
    run = dataio_actions.commit_run(cast.documenter, run)
    assert run.status == ImportRun.Status.COMMITTED, run.problem


def test_a_committer_who_may_not_open_the_linked_person_is_refused(cast, tmp_path, stored):
    run = _checked(cast, tmp_path)
    actions.decide_import_duplicate(cast.documenter, run, 2, stored.code)
    persons = Person.objects.count()
    with pytest.raises(ValidationError, match="a person whose identity you may not open"):
        dataio_actions.commit_run(cast.admin, run)
    assert Person.objects.count() == persons and not Violation.objects.exists()


def test_decisions_are_closed_once_the_run_is_committed(cast, tmp_path, stored):
    run = dataio_actions.commit_run(cast.documenter, _checked(cast, tmp_path))
    with pytest.raises(ValidationError, match="before it is imported"):
        actions.decide_import_duplicate(cast.documenter, run, 2, stored.code)


# --- the run page -------------------------------------------------------------------------


def test_the_run_page_offers_each_flagged_row_its_choices(client, cast, tmp_path, stored):
    run = _checked(cast, tmp_path)
    login(client, cast.documenter)
    page = client.get(reverse("dataio:run", args=[run.pk])).content.decode()
    url = reverse("violations:import_duplicate_decide", args=[run.pk, 2])
    assert f'hx-post="{url}"' in page
    assert f'value="{stored.code}"' in page and 'value="row:3"' in page
    assert 'value="new"' in page and "Olena" not in page.split("Likely duplicate persons")[1]


def test_the_run_page_hides_the_code_of_a_person_the_user_may_not_open(client, cast, tmp_path):
    hidden = make_person(cast.acme, full_name="Олена Коваленко", date_of_birth=BORN)
    run = _checked(cast, tmp_path)
    login(client, cast.documenter)
    page = client.get(reverse("dataio:run", args=[run.pk])).content.decode()
    assert hidden.code not in page and 'value="row:3"' in page


def test_an_htmx_decision_answers_with_the_rows_form(client, cast, tmp_path, stored):
    run = _checked(cast, tmp_path)
    login(client, cast.documenter)
    url = reverse("violations:import_duplicate_decide", args=[run.pk, 2])
    response = client.post(url, {"choice": stored.code}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200 and "Decision saved for row 2." in body
    assert f'value="{stored.code}" checked' in body
    assert ImportDuplicateDecision.objects.get(run=run, row=2).person == stored
    response = client.post(url, {"choice": "row:9"}, headers={"HX-Request": "true"})
    assert "Row 2 is not flagged" in response.content.decode()
    assert ImportDuplicateDecision.objects.get(run=run, row=2).person == stored


def test_a_decision_without_javascript_returns_to_the_run_page(client, cast, tmp_path, stored):
    run = _checked(cast, tmp_path)
    login(client, cast.documenter)
    url = reverse("violations:import_duplicate_decide", args=[run.pk, 4])
    response = client.post(url, {"choice": "row:3"})
    assert response.status_code == 302 and response["Location"] == reverse(
        "dataio:run", args=[run.pk]
    )
    assert ImportDuplicateDecision.objects.get(run=run, row=4).other_row == 3


@pytest.mark.parametrize("who", ["outsider", "viewer"])
def test_others_cannot_post_a_decision(client, cast, tmp_path, stored, who):
    run = _checked(cast, tmp_path)
    login(client, getattr(cast, who))
    url = reverse("violations:import_duplicate_decide", args=[run.pk, 2])
    assert client.post(url, {"choice": stored.code}).status_code == 404
    assert not ImportDuplicateDecision.objects.exists()


def test_the_run_page_in_arabic_keeps_codes_left_to_right(client, cast, tmp_path, stored):
    run = _checked(cast, tmp_path)
    login(client, cast.documenter)
    page = client.get(reverse("dataio:run", args=[run.pk]), HTTP_ACCEPT_LANGUAGE="ar")
    html = page.content.decode()
    assert 'dir="rtl"' in html
    assert f'<span class="pseudonym">{stored.code}</span>' in html


def test_the_commit_reads_the_decisions_in_a_fixed_number_of_queries(
    cast, tmp_path, stored, django_assert_num_queries
):
    run = _checked(cast, tmp_path)
    actions.decide_import_duplicate(cast.documenter, run, 2, stored.code)
    actions.decide_import_duplicate(cast.documenter, run, 4, "row:3")
    # The decisions with their persons, the run's flags for those rows, the committer's
    # memberships and the persons they may open: whatever the number of decisions (and none
    # per row afterwards: the commit looks rows up in the dicts).
    with django_assert_num_queries(4):
        decisions = import_decisions.load(cast.documenter, run)
    assert set(decisions.persons) == {2} and decisions.rows == {4: 3}
    assert decisions.targets == {3}
