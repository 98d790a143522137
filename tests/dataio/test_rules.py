"""``dataio.rules`` through the policy: a run of a kind whose records need a further action
(``import_action``) or whose changes need an edit right (``update_action``) is refused with a
reason to whoever lacks it; row errors are seen through their run's organisation; the one
export check."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from justicework.core import policy
from justicework.dataio import rules
from justicework.dataio import schema as schemas
from justicework.dataio.models import ImportRun, RowError

from .conftest import KIND, RowsSchema

pytestmark = pytest.mark.django_db


class GuardedRows(RowsSchema):
    """Creating these rows needs ``manage`` on the organisation (admins only); applying a
    re-import's changes needs ``manage_members``."""

    import_action = "manage"
    update_action = "manage_members"


@pytest.fixture
def guarded():
    schemas.register(KIND, GuardedRows)
    yield GuardedRows
    schemas.unregister(KIND)


@pytest.fixture
def run(cast):
    return ImportRun.objects.create(organisation=cast.acme, kind=KIND, file_format="csv")


def test_a_kind_without_extra_actions_needs_import_only(cast, rows_schema, run):
    assert policy.can(cast.documenter, "commit", run)
    assert policy.can(cast.documenter, "create", run)
    refused = policy.can(cast.documenter, "apply_changes", run)
    assert str(refused.reason) == "Your role does not allow changing these records."


def test_the_kinds_import_action_is_asked_for_creating_and_committing(cast, guarded, run):
    for action in ["create", "commit"]:
        refused = policy.can(cast.documenter, action, run)
        assert str(refused.reason) == "Your role does not allow creating these records."
        assert policy.can(cast.admin, action, run)
    assert policy.can(cast.documenter, "view", run)  # seeing the run needs import only


def test_the_kinds_update_action_is_asked_for_applying_changes(cast, guarded, run):
    assert policy.can(cast.admin, "apply_changes", run)
    assert not policy.can(cast.documenter, "apply_changes", run)
    assert not policy.can(cast.outsider, "apply_changes", run)


def test_a_run_of_a_kind_no_longer_registered_is_left_to_the_engine(cast, run):
    schemas.unregister(KIND)
    assert policy.can(cast.documenter, "commit", run)
    assert not policy.can(cast.viewer, "commit", run)


def test_the_rules_question_is_asked_once_per_run(cast, guarded, run, monkeypatch):
    asked: list[str] = []
    original = policy.decide

    def counting(user, action, obj):  # type: ignore[no-untyped-def]
        asked.append(action)
        return original(user, action, obj)

    monkeypatch.setattr(policy, "decide", counting)
    with policy.decided_once():
        for _ in range(5):
            assert policy.can(cast.admin, "commit", run)
    assert asked == ["commit", "manage"]


def test_row_errors_are_seen_through_their_runs_organisation(cast, rows_schema, run):
    error = RowError.objects.create(run=run, row=2, column="Name", reason="required")
    assert list(policy.visible(cast.documenter, RowError)) == [error]
    assert not policy.visible(cast.viewer, RowError).exists()
    assert not policy.visible(cast.outsider, RowError).exists()
    assert not policy.can(cast.documenter, "delete", error)


def test_the_export_check_refuses_with_the_export_message(cast):
    rules.require_export(cast.analyst, cast.acme)
    with pytest.raises(PermissionDenied, match="does not allow exporting"):
        rules.require_export(cast.viewer, cast.acme)
    with pytest.raises(PermissionDenied):
        rules.require_export(cast.analyst, cast.beacon)
    with pytest.raises(PermissionDenied):
        rules.require_export(None, cast.acme)
