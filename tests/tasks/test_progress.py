"""Progress records: the API background work uses, the page and its polling partial."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client
from django_tasks import task

from justicework import search
from justicework.audit.models import AuditEntry
from justicework.core.models import Organisation, User
from justicework.search.jobs import reindex_all
from justicework.tasks.actions import Tracker, enqueue_with_progress, start_progress, tracking
from justicework.tasks.models import Progress

pytestmark = pytest.mark.django_db


@task()
def count_to(progress_id: int, n: int) -> int:
    with tracking(progress_id, every=10) as tracker:
        for _ in range(n):
            tracker.advance()
    return n


@task()
def broken(progress_id: int) -> None:
    with tracking(progress_id) as tracker:
        tracker.advance(3)
        raise ValueError("Secret Person Name")


@pytest.fixture
def login(client: Client) -> Callable[[User], Client]:
    def _login(user: User) -> Client:
        if user.requires_mfa:
            from allauth.mfa.models import Authenticator

            Authenticator.objects.get_or_create(
                user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
            )
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def job(documenter: User, acme: Organisation) -> Progress:
    return start_progress(
        documenter, kind="test.count", title="Counting", total=40, organisation=acme
    )


# --- The API -----------------------------------------------------------------------------------


def test_task_through_immediate_backend_updates_progress(job: Progress) -> None:
    enqueue_with_progress(job, count_to, 40)
    job.refresh_from_db()
    assert job.status == Progress.Status.SUCCEEDED
    assert (job.done, job.total, job.percent) == (40, 40, 100)
    assert job.task_result_id
    assert job.finished_at is not None
    actions = list(
        AuditEntry.objects.filter(
            object_type="jw_tasks.progress", object_id=str(job.pk)
        ).values_list("action", flat=True)
    )
    assert actions == ["jw_tasks.progress.started", "jw_tasks.progress.succeeded"]


def test_failed_task_records_failure_without_exception_text(job: Progress) -> None:
    enqueue_with_progress(job, broken)  # the immediate backend records the task as failed
    job.refresh_from_db()
    assert job.status == Progress.Status.FAILED
    assert job.done == 3
    assert "ValueError" in job.message
    assert "Secret" not in job.message


def test_advance_writes_only_every_n_items(job: Progress) -> None:
    tracker = Tracker(job.pk, every=10)
    tracker.start()
    for _ in range(35):
        tracker.advance()
    assert tracker.writes == 1 + 3
    job.refresh_from_db()
    assert job.done == 30
    tracker.finish(result={"ok": True})
    job.refresh_from_db()
    assert (job.done, job.status, job.result) == (35, Progress.Status.SUCCEEDED, {"ok": True})


def test_unknown_total_becomes_done_count_on_finish(documenter: User) -> None:
    progress = start_progress(documenter, kind="test.count", title="Open-ended")
    assert progress.percent is None
    with tracking(progress.pk) as tracker:
        tracker.advance(7)
    progress.refresh_from_db()
    assert (progress.total, progress.done, progress.percent) == (7, 7, 100)


def test_cannot_start_progress_for_someone_elses_organisation(
    outsider: User, acme: Organisation
) -> None:
    with pytest.raises(PermissionDenied):
        start_progress(outsider, kind="x", title="x", organisation=acme)
    assert not Progress.objects.exists()


def test_search_reindex_job_reports_progress(cast: SimpleNamespace, superuser: User) -> None:
    progress = start_progress(None, kind="search.reindex", title="Rebuild")
    enqueue_with_progress(progress, reindex_all)
    progress.refresh_from_db()
    assert progress.status == Progress.Status.SUCCEEDED
    indexed = sum(m._default_manager.count() for m in search.registered_models())
    assert progress.total == progress.done == indexed
    assert progress.result["core.organisation"] == Organisation.objects.count()
    assert search.filter_queryset(Organisation.objects.all(), "beacon").count() == 1


def test_search_reindex_command_in_background_queues_a_job(cast: SimpleNamespace) -> None:
    call_command("search_reindex", "--background", stdout=StringIO())
    assert Progress.objects.get(kind="search.reindex").status == Progress.Status.SUCCEEDED


# --- Policy ------------------------------------------------------------------------------------


def test_owner_and_org_admin_see_progress_others_do_not(
    job: Progress,
    documenter: User,
    admin: User,
    viewer: User,
    outsider: User,
    beacon_admin: User,
    superuser: User,
) -> None:
    from justicework.core import policy

    for user in (documenter, admin, superuser):
        assert policy.can(user, "view", job), user
        assert list(policy.visible(user, Progress)) == [job]
    for user in (viewer, outsider, beacon_admin):
        assert not policy.can(user, "view", job), user
        assert not policy.visible(user, Progress).exists()


def test_system_job_is_for_superusers_only(admin: User, superuser: User) -> None:
    from justicework.core import policy

    progress = start_progress(None, kind="search.reindex", title="Rebuild")
    assert policy.can(superuser, "view", progress)
    assert not policy.can(admin, "view", progress)


# --- Views -------------------------------------------------------------------------------------


def test_owner_opens_progress_page(
    job: Progress, documenter: User, login: Callable[[User], Client]
) -> None:
    response = login(documenter).get(f"/tasks/{job.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Counting" in body
    assert f'hx-get="/tasks/{job.pk}/progress"' in body


def test_outsider_gets_404_for_progress_page_and_partial(
    job: Progress, outsider: User, login: Callable[[User], Client]
) -> None:
    client = login(outsider)
    assert client.get(f"/tasks/{job.pk}/").status_code == 404
    assert client.get(f"/tasks/{job.pk}/progress").status_code == 404
    assert client.get("/tasks/999999/progress").status_code == 404


def test_anonymous_is_sent_to_login(job: Progress, client: Client) -> None:
    response = client.get(f"/tasks/{job.pk}/progress")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_partial_polls_while_running_and_stops_when_done(
    job: Progress, admin: User, login: Callable[[User], Client]
) -> None:
    client = login(admin)
    tracker = Tracker(job.pk, every=1)
    tracker.start()
    tracker.advance(10)
    running = client.get(f"/tasks/{job.pk}/progress", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in running
    assert '<progress max="100" value="25"' in running
    assert "<script" not in running
    tracker.advance(30)
    tracker.finish()
    done = client.get(f"/tasks/{job.pk}/progress", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in done
    assert '<progress max="100" value="100"' in done


def test_progress_views_refuse_post(
    job: Progress, documenter: User, login: Callable[[User], Client]
) -> None:
    assert login(documenter).post(f"/tasks/{job.pk}/progress").status_code == 405


def test_list_shows_only_visible_work_with_constant_queries(
    job: Progress,
    admin: User,
    outsider: User,
    acme: Organisation,
    login: Callable[[User], Client],
    django_assert_max_num_queries: Callable[[int], object],
) -> None:
    client = login(admin)
    client.get("/tasks/")  # warm the session and the membership cache
    with django_assert_max_num_queries(12) as first:  # type: ignore[attr-defined]  # context manager
        body = client.get("/tasks/").content.decode()
    assert "Counting" in body
    for i in range(5):
        start_progress(admin, kind="test.more", title=f"More {i}", organisation=acme)
    with django_assert_max_num_queries(len(first.captured_queries)):  # type: ignore[attr-defined]  # context manager
        body = client.get("/tasks/").content.decode()
    assert "More 4" in body
    hidden = start_progress(outsider, kind="test.secret", title="Beacon only")
    assert hidden.title not in client.get("/tasks/").content.decode()


def test_list_needs_sign_in(client: Client) -> None:
    assert client.get("/tasks/").status_code == 302
