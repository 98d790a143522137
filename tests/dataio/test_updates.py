"""Applying a re-import's changes (``dataio.updates``) and the run page's changed-rows section
(``dataio.views_changes``), refused cases first: a kind that is never updated, a run not
checked, its file gone, nothing chosen; each refusal names the reason and changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.urls import reverse

from justicework.audit.models import AuditEntry
from justicework.dataio import actions, runs
from justicework.dataio import schema as schemas
from justicework.dataio.models import ImportRun, RowChange
from justicework.dataio.views_changes import changes_context

from .conftest import HEADER, KIND, SPEC, RowsSchema, good_rows, write_csv

pytestmark = pytest.mark.django_db


class UpdatableRows(RowsSchema):
    """Rows whose changes members with the import right may apply."""

    update_action = "import"


@pytest.fixture
def updatable():
    schemas.register(KIND, UpdatableRows)
    yield UpdatableRows
    schemas.unregister(KIND)


def checked_run(cast, tmp_path) -> ImportRun:
    """A run of two good rows, checked clean, with rows 2 and 3 marked as changed."""
    mapping = actions.save_mapping(
        cast.documenter, cast.acme, kind=KIND, name="Rows", file_format="csv", spec=SPEC
    )
    path = write_csv(tmp_path / "rows.csv", [HEADER, *good_rows(2)])
    run = actions.start_run(
        cast.documenter, cast.acme, kind=KIND, file_format="csv", filename="rows.csv",
        chunks=[path.read_bytes()], mapping=mapping,
    )  # fmt: skip
    runs.dry_run(cast.documenter, run)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.VALID
    for row in (2, 3):
        RowChange.objects.create(run=run, row=row, key_hash=f"k{row}", object_id=f"o{row}")
    return run


def applied_entries() -> int:
    return AuditEntry.objects.filter(action="dataio.run.changes_applied").count()


def test_a_kind_never_updated_refuses_to_apply_changes(cast, rows_schema, tmp_path):
    run = checked_run(cast, tmp_path)
    with pytest.raises(PermissionDenied, match="does not allow changing these records"):
        actions.apply_changes(cast.documenter, run, [2])
    assert RowChange.objects.filter(run=run, applied=False).count() == 2
    assert applied_entries() == 0


def test_someone_without_import_cannot_apply_or_read_the_diff(cast, updatable, tmp_path):
    run = checked_run(cast, tmp_path)
    with pytest.raises(PermissionDenied):
        actions.apply_changes(cast.viewer, run)
    with pytest.raises(PermissionDenied):
        actions.run_diff(cast.outsider, run)


def test_a_run_not_checked_clean_is_refused(cast, updatable, tmp_path):
    run = checked_run(cast, tmp_path)
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.INVALID)
    run.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        actions.apply_changes(cast.documenter, run)
    assert list(refused.value.message_dict) == ["status"]
    assert "after a clean check" in refused.value.message_dict["status"][0]
    assert applied_entries() == 0


def test_a_run_checked_with_another_mapping_is_refused(cast, updatable, tmp_path):
    run = checked_run(cast, tmp_path)
    ImportRun.objects.filter(pk=run.pk).update(validated_spec={"fields": {}})
    run.refresh_from_db()
    with pytest.raises(ValidationError, match="after a clean check"):
        actions.run_diff(cast.documenter, run)


def test_a_run_whose_file_is_gone_is_refused(cast, updatable, tmp_path):
    run = checked_run(cast, tmp_path)
    Path(run.stored_path).unlink()
    with pytest.raises(ValidationError) as refused:
        actions.apply_changes(cast.documenter, run)
    assert "upload it again" in refused.value.message_dict["file"][0]


def test_choosing_no_pending_row_is_refused(cast, updatable, tmp_path):
    run = checked_run(cast, tmp_path)
    RowChange.objects.filter(run=run, row=2).update(applied=True)
    with pytest.raises(ValidationError) as refused:
        actions.apply_changes(cast.documenter, run, rows=[2, 99])
    assert refused.value.message_dict == {"rows": ["No changed row is chosen."]}
    assert applied_entries() == 0


def test_the_diff_of_a_run_without_pending_rows_is_empty(cast, updatable, tmp_path):
    run = checked_run(cast, tmp_path)
    RowChange.objects.filter(run=run).update(applied=True)
    assert actions.run_diff(cast.documenter, run) == []


def request_for(user):  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_the_section_counts_rows_and_stops_when_nothing_is_pending(cast, rows_schema, tmp_path):
    run = checked_run(cast, tmp_path)
    RowChange.objects.filter(run=run).update(applied=True)
    ImportRun.objects.filter(pk=run.pk).update(total_rows=10, error_count=1, skipped_rows=4,
                                               changed_rows=3)  # fmt: skip
    run.refresh_from_db()
    context = changes_context(request_for(cast.documenter), run)
    assert context == {
        "changes_pending": 0,
        "changes_unchanged": 1,
        "changes_new": 5,
        "change_diffs": [],
        "changes_blocked": "",
        "changes_more": 0,
    }


def test_the_section_is_blocked_while_the_run_is_not_checked_clean(cast, rows_schema, tmp_path):
    run = checked_run(cast, tmp_path)
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.INVALID)
    run.refresh_from_db()
    context = changes_context(request_for(cast.documenter), run)
    assert context["changes_pending"] == 2
    assert "after a clean check" in context["changes_blocked"]
    assert context["change_diffs"] == []


def test_the_section_says_why_changes_cannot_be_applied(cast, rows_schema, tmp_path):
    run = checked_run(cast, tmp_path)
    RowChange.objects.filter(run=run).update(applied=True)
    RowChange.objects.create(run=run, row=9, key_hash="k9", object_id="o9")
    context = changes_context(request_for(cast.documenter), run)
    assert context["changes_allowed"] is False
    assert str(context["changes_denied"]) == "Your role does not allow changing these records."


def post_changes(login, user, run, **data):  # type: ignore[no-untyped-def]
    url = reverse("dataio:run_changes", args=[run.pk])
    response = login(user).post(url, data, follow=True)
    return response, [str(m) for m in response.context["messages"]]


def test_posting_no_row_is_refused_with_a_message(login, cast, updatable, tmp_path):
    run = checked_run(cast, tmp_path)
    response, shown = post_changes(login, cast.documenter, run, rows=["x"])
    assert response.redirect_chain[-1][0] == reverse("dataio:run", args=[run.pk])
    assert shown == ["No changed row is chosen."]
    assert RowChange.objects.filter(run=run, applied=False).count() == 2


def test_posting_for_a_kind_never_updated_shows_the_refusal(login, cast, rows_schema, tmp_path):
    run = checked_run(cast, tmp_path)
    _response, shown = post_changes(login, cast.documenter, run, rest="1", shown=["2"])
    assert shown == ["Your role does not allow changing these records."]
    assert applied_entries() == 0


def test_posting_to_another_organisations_run_is_404(login, cast, updatable, tmp_path):
    run = checked_run(cast, tmp_path)
    url = reverse("dataio:run_changes", args=[run.pk])
    assert login(cast.outsider).post(url, {"rows": ["2"]}).status_code == 404
