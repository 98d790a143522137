"""``tasks.actions``: starting a progress record (refusals, limits, audit), the tracker's
write budget, and closing: a record is finished exactly once, a failure never quotes the
exception, and work that finished itself is not overwritten."""

from __future__ import annotations

import pytest

from justicework.audit.models import AuditEntry
from justicework.core.models import Organisation, User
from justicework.tasks import actions
from justicework.tasks.actions import Tracker, start_progress, tracking
from justicework.tasks.models import Progress

pytestmark = pytest.mark.django_db


def audit_actions(progress: Progress) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type="jw_tasks.progress", object_id=str(progress.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


@pytest.fixture
def job(documenter: User, acme: Organisation) -> Progress:
    return start_progress(
        documenter, kind="test.count", title="Counting", total=1000, organisation=acme
    )


# --- start_progress ------------------------------------------------------------------------------


def test_a_new_record_is_queued_owned_and_audited(job: Progress, documenter: User, acme) -> None:
    assert (job.status, job.owner, job.organisation, job.done) == (
        Progress.Status.QUEUED,
        documenter,
        acme,
        0,
    )
    entry = AuditEntry.objects.get(action="jw_tasks.progress.started")
    assert entry.diff == {"kind": "test.count", "total": 1000}
    assert (entry.actor_id, entry.organisation_id) == (documenter.pk, acme.pk)


def test_a_negative_total_is_refused_and_nothing_is_recorded(documenter: User) -> None:
    with pytest.raises(ValueError, match="total must be zero or more"):
        start_progress(documenter, kind="test.count", title="Backwards", total=-1)
    assert not Progress.objects.exists()
    assert not AuditEntry.objects.filter(action="jw_tasks.progress.started").exists()


def test_a_long_kind_and_title_are_cut_to_their_columns(documenter: User) -> None:
    progress = start_progress(documenter, kind="k" * 80, title="t" * 300)
    progress.refresh_from_db()
    assert (len(progress.kind), len(progress.title)) == (60, 200)


def test_system_work_has_no_owner_and_needs_no_membership(acme: Organisation) -> None:
    progress = start_progress(None, kind="test.system", title="Nightly", organisation=acme)
    assert progress.owner is None and progress.organisation == acme


def test_a_user_without_any_membership_cannot_attach_work_to_an_organisation(
    loner: User, acme: Organisation
) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        start_progress(loner, kind="test.count", title="x", organisation=acme)
    assert not Progress.objects.exists()


# --- Tracker --------------------------------------------------------------------------------------


@pytest.mark.parametrize("total, every", [(1000, 10), (50, 1), (None, 100), (0, 100)])
def test_the_write_budget_is_one_percent_of_the_total_or_every_hundred(
    documenter: User, total: int | None, every: int
) -> None:
    progress = start_progress(documenter, kind="test.count", title="x", total=total)
    assert Tracker(progress.pk).every == every


def test_an_explicit_budget_below_one_counts_as_one(job: Progress) -> None:
    assert Tracker(job.pk, every=0).every == 1


def test_time_alone_triggers_a_write_between_budgets(job: Progress, monkeypatch) -> None:
    tracker = Tracker(job.pk, every=1000)
    tracker.start()
    monkeypatch.setattr(actions, "WRITE_INTERVAL", 0.0)
    tracker.advance(3)
    job.refresh_from_db()
    assert job.done == 3 and job.status == Progress.Status.RUNNING


def test_a_tracker_continues_from_what_is_stored(job: Progress) -> None:
    first = Tracker(job.pk, every=1)
    first.advance(5)
    again = Tracker(job.pk)
    assert (again.done, again.total) == (5, 1000)


def test_set_total_changes_the_total_and_the_budget(job: Progress) -> None:
    tracker = Tracker(job.pk)
    tracker.set_total(20_000)
    job.refresh_from_db()
    assert job.total == 20_000 and tracker.every == 200


def test_a_record_is_finished_once_later_closes_change_nothing(job: Progress) -> None:
    tracker = Tracker(job.pk, every=1)
    tracker.advance(10)
    tracker.finish(result={"rows": 10}, message="Done")
    tracker.advance(5)
    tracker.fail("too late")
    tracker.finish(result={"rows": 99})
    job.refresh_from_db()
    assert (job.status, job.message, job.result) == (
        Progress.Status.SUCCEEDED,
        "Done",
        {"rows": 10},
    )
    assert audit_actions(job) == ["jw_tasks.progress.started", "jw_tasks.progress.succeeded"]


def test_a_failure_keeps_the_count_reached_and_its_message(job: Progress) -> None:
    tracker = Tracker(job.pk, every=1)
    tracker.advance(4)
    tracker.fail("The file could not be read.")
    job.refresh_from_db()
    assert (job.status, job.done, job.message) == (
        Progress.Status.FAILED,
        4,
        "The file could not be read.",
    )
    assert job.finished_at is not None
    entry = AuditEntry.objects.get(action="jw_tasks.progress.failed")
    assert entry.diff == {"kind": "test.count", "done": 4}
    assert entry.actor_id is None and entry.organisation_id == job.organisation_id


def test_a_long_message_is_cut_to_its_column(job: Progress) -> None:
    Tracker(job.pk).fail("x" * 900)
    job.refresh_from_db()
    assert len(job.message) == 500


# --- tracking ----------------------------------------------------------------------------


def test_tracking_marks_running_then_finished(job: Progress) -> None:
    with tracking(job.pk) as tracker:
        job.refresh_from_db()
        assert job.status == Progress.Status.RUNNING
        tracker.advance(1000)
    job.refresh_from_db()
    assert (job.status, job.done, job.percent) == (Progress.Status.SUCCEEDED, 1000, 100)


def test_an_error_fails_the_record_with_its_type_only_and_propagates(job: Progress) -> None:
    with pytest.raises(KeyError), tracking(job.pk) as tracker:
        tracker.advance(2)
        raise KeyError("Олена Коваленко")
    job.refresh_from_db()
    assert job.status == Progress.Status.FAILED
    assert job.message == "The work stopped because of an error (KeyError)."
    assert "Олена" not in job.message


def test_work_that_finished_itself_keeps_its_own_result(job: Progress) -> None:
    with tracking(job.pk) as tracker:
        tracker.advance(3)
        tracker.finish(result={"rows": 3}, message="Imported 3 rows")
    job.refresh_from_db()
    assert (job.result, job.message) == ({"rows": 3}, "Imported 3 rows")
    assert audit_actions(job).count("jw_tasks.progress.succeeded") == 1


def test_work_that_failed_itself_is_not_turned_into_a_success(job: Progress) -> None:
    with tracking(job.pk) as tracker:
        tracker.fail("Stopped: the mapping was deleted.")
    job.refresh_from_db()
    assert job.status == Progress.Status.FAILED
    assert job.message == "Stopped: the mapping was deleted."
