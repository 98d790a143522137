"""The run page's changed rows: counts and the diff after a clean check, identities hidden from
whom may not see them, applying the ticked rows only, refusals shown and nothing changed, 404
for users without import, constant queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from justicework.audit.models import AuditEntry
from justicework.dataio.models import RowChange
from justicework.violations.models import Violation

from .test_import import row
from .test_import_reimport import checked, imported, violation_of
from .test_import_reimport import mapping as mapping  # the saved mapping fixture
from .test_import_views import login


def page(client, run):
    return client.get(reverse("dataio:run", args=[run.pk]))


def apply(client, run, **data):
    return client.post(reverse("dataio:run_changes", args=[run.pk]), data)


def test_the_run_page_shows_counts_and_the_diff_of_changed_rows(client, cast, mapping):
    imported(cast, mapping, [row(1), row(2)])
    run = checked(cast, mapping, [row(1), row(2, Act="torture", Place="Izium"), row(3)])
    response = page(login(client, cast.documenter), run)
    text = response.content.decode()
    assert "This file has 1 new rows, 1 rows imported before and unchanged, and 1 row" in text
    assert "Apply the changes of row 3" in text
    assert "Stored now" in text and "Kharkiv" in text and "Izium" in text
    assert "Torture (torture)" in text
    assert response.context["changes_allowed"] is True


def test_identity_changes_are_shown_as_hidden_without_need_to_know(client, cast, mapping):
    imported(cast, mapping, [row(1)])
    run = checked(cast, mapping, [row(1, Victim="Олена Петрівна")])
    text = page(login(client, cast.documenter), run).content.decode()
    assert "Changed, hidden: an identity field" in text
    assert "Олена" not in text


def test_applying_the_ticked_rows_only(client, cast, mapping):
    imported(cast, mapping, [row(1), row(2)])
    run = checked(cast, mapping, [row(1, Act="torture"), row(2, Act="torture")])
    client = login(client, cast.documenter)
    response = apply(client, run, rows=["2"], shown=["2", "3"], reason="release 2")
    assert response.status_code == 302
    assert (violation_of("R1").type, violation_of("R2").type) == ("torture", "killing_in_attack")
    assert AuditEntry.objects.get(action="dataio.run.changes_applied").diff["reason"] == "release 2"
    text = page(client, run).content.decode()
    assert "1 changed row applied to the records (audited)." in text
    assert "Apply the changes of row 3" in text and "Apply the changes of row 2" not in text


def test_nothing_ticked_is_refused_with_a_message(client, cast, mapping):
    imported(cast, mapping, [row(1)])
    run = checked(cast, mapping, [row(1, Act="torture")])
    client = login(client, cast.documenter)
    apply(client, run, shown=["2"])
    assert "No changed row is chosen." in page(client, run).content.decode()
    assert RowChange.objects.filter(run=run, applied=False).count() == 1


@pytest.mark.parametrize("who", ["viewer", "analyst", "coordinator", "outsider", "loner"])
def test_users_without_import_get_404(client, cast, mapping, who):
    imported(cast, mapping, [row(1)])
    run = checked(cast, mapping, [row(1, Act="torture")])
    login(client, getattr(cast, who))
    assert apply(client, run, rows=["2"]).status_code == 404
    assert page(client, run).status_code == 404
    assert Violation.objects.get().type == "killing_in_attack"


def test_an_importer_who_may_not_edit_records_sees_why_and_cannot_apply(
    client, cast, mapping, monkeypatch
):
    from justicework.violations.io import ViolationSchema

    imported(cast, mapping, [row(1)])
    run = checked(cast, mapping, [row(1, Act="torture")])
    monkeypatch.setattr(ViolationSchema, "update_action", "reindex_persons")
    client = login(client, cast.documenter)
    response = page(client, run)
    assert response.context["changes_allowed"] is False
    assert "Your role does not allow changing these records." in response.content.decode()
    apply(client, run, rows=["2"])
    assert Violation.objects.get().type == "killing_in_attack"
    assert "Your role does not allow changing these records." in page(client, run).content.decode()


def test_the_run_page_queries_do_not_grow_with_changed_rows(
    client, cast, mapping, django_assert_max_num_queries
):
    imported(cast, mapping, [row(n) for n in range(1, 4)])
    few = checked(cast, mapping, [row(1, Act="torture")])
    client = login(client, cast.documenter)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        page(client, few)
    many = checked(cast, mapping, [row(n, Act="torture") for n in range(1, 4)])
    with django_assert_max_num_queries(len(one.captured_queries)):
        page(client, many)
