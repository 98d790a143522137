"""The support plan: needs, agreed actions with owners and dates, reviews; actions audited
and validated; the page's allow and deny (viewer, documenter, another organisation, consent
withdrawn); query count of the actions list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from justicework.audit.models import AuditEntry
from justicework.core.models import User
from justicework.core.uses import Scope
from justicework.survivors import actions
from justicework.survivors.models import SupportAction, SupportPlan, SurvivorFile
from tests.survivors.conftest import give, withdraw

pytestmark = pytest.mark.django_db

D = Scope.DOCUMENTATION
SOON = timezone.localdate() + dt.timedelta(days=3)


@pytest.fixture
def plan(coordinator: User, file: SurvivorFile) -> SupportPlan:
    give(coordinator, file, D)
    return actions.save_plan(
        coordinator, file, needs=["medical", "legal"], needs_note="Sleeps badly."
    )


def test_plan_is_made_changed_reviewed_and_audited_without_the_survivors_words(
    coordinator: User, file: SurvivorFile, plan: SupportPlan
) -> None:
    assert plan.needs == ["legal", "medical"]
    again = actions.save_plan(coordinator, file, needs=["shelter"], next_review_on=SOON)
    assert again.pk == plan.pk and SupportPlan.objects.count() == 1
    actions.review_plan(coordinator, again, next_review_on=SOON)
    again.refresh_from_db()
    assert again.reviewed_by == coordinator and again.reviewed_at is not None
    diffs = [str(e.diff) for e in AuditEntry.objects.filter(action__startswith="survivors.plan")]
    assert len(diffs) == 3 and not any("Sleeps" in d for d in diffs)


def test_actions_have_owners_and_dates_and_are_done_once(
    coordinator: User, viewer: User, plan: SupportPlan
) -> None:
    action = actions.add_plan_action(
        coordinator, plan, description="Book the clinic", owner=coordinator, due_on=SOON
    )
    actions.complete_plan_action(coordinator, action)
    with pytest.raises(ValidationError):
        actions.complete_plan_action(coordinator, action)
    with pytest.raises(ValidationError) as caught:
        actions.add_plan_action(coordinator, plan, description=" ", owner=viewer, due_on=SOON)
    assert {"description", "owner"} <= set(caught.value.message_dict)
    with pytest.raises(ValidationError) as caught:
        actions.add_plan_action(
            coordinator, plan, description="x", owner=coordinator, due_on=dt.date(2000, 1, 1)
        )
    assert "due_on" in caught.value.message_dict
    assert SupportAction.objects.count() == 1


def test_bad_needs_are_refused(coordinator: User, file: SurvivorFile) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.save_plan(coordinator, file, needs=["medical", "astrology"])
    assert "needs" in caught.value.message_dict
    assert not SupportPlan.objects.exists()


@pytest.mark.parametrize("who", ["viewer", "documenter", "admin", "outsider"])
def test_only_support_coordinators_keep_plans(
    cast: Any, coordinator: User, file: SurvivorFile, plan: SupportPlan, who: str
) -> None:
    user = getattr(cast, who)
    with pytest.raises(PermissionDenied):
        actions.save_plan(user, file, needs=[])
    with pytest.raises(PermissionDenied):
        actions.review_plan(user, plan)
    with pytest.raises(PermissionDenied):
        actions.add_plan_action(user, plan, description="x", owner=coordinator, due_on=SOON)
    plan.refresh_from_db()
    assert plan.needs == ["legal", "medical"] and plan.reviewed_at is None


def test_coordinator_keeps_the_plan_on_its_page(
    login: Callable[[User], Client],
    coordinator: User,
    file: SurvivorFile,
    django_assert_max_num_queries: Any,
) -> None:
    give(coordinator, file, D)
    client = login(coordinator)
    person = file.person_id
    page = reverse("survivors:plan", args=[person])
    assert client.get(page).status_code == 200
    review = reverse("survivors:plan_review", args=[person])
    assert client.post(review, {}).status_code == 422  # no plan yet
    save = reverse("survivors:plan_save", args=[person])
    assert client.post(save, {"needs": ["medical"], "needs_note": "n"}).status_code == 302
    add = reverse("survivors:plan_action_add", args=[person])
    data = {"action-description": "Call", "action-owner": coordinator.pk,
            "action-due_on": SOON.isoformat()}  # fmt: skip
    assert client.post(add, data).status_code == 302
    assert client.post(add, {**data, "action-due_on": "2000-01-01"}).status_code == 422
    client.get(page)
    with django_assert_max_num_queries(40) as few:
        client.get(page)
    baseline = len(few.captured_queries)  # read now: the next request resets the log
    for _ in range(5):
        client.post(add, data)
    with django_assert_max_num_queries(baseline):
        body = client.get(page).content.decode()
    assert body.count("Mark done") == 6
    action = SupportAction.objects.first()
    assert action is not None
    done = client.post(reverse("survivors:plan_action_done", args=[action.pk]))
    assert done.status_code == 302
    assert client.post(review, {"review-next_review_on": SOON.isoformat()}).status_code == 302


@pytest.mark.parametrize("who", ["viewer", "documenter", "outsider", "loner"])
def test_others_get_404_on_the_plan_pages(
    login: Callable[[User], Client], cast: Any, coordinator: User, plan: SupportPlan, who: str
) -> None:
    action = actions.add_plan_action(
        coordinator, plan, description="x", owner=coordinator, due_on=SOON
    )
    client = login(getattr(cast, who))
    person = plan.person_id
    assert client.get(reverse("survivors:plan", args=[person])).status_code == 404
    for name in ("plan_save", "plan_review", "plan_action_add"):
        assert client.post(reverse(f"survivors:{name}", args=[person]), {}).status_code == 404
    assert client.post(reverse("survivors:plan_action_done", args=[action.pk])).status_code == 404
    action.refresh_from_db()
    assert action.done_at is None


def test_plan_page_closes_after_documentation_consent_is_withdrawn(
    login: Callable[[User], Client], coordinator: User, file: SurvivorFile, plan: SupportPlan
) -> None:
    client = login(coordinator)
    page = reverse("survivors:plan", args=[file.person_id])
    assert client.get(page).status_code == 200
    withdraw(coordinator, file, D)
    assert client.get(page).status_code == 404


def test_person_page_shows_the_support_section_to_coordinators_only(
    login: Callable[[User], Client],
    coordinator: User,
    viewer: User,
    file: SurvivorFile,
    plan: SupportPlan,
) -> None:
    actions.add_plan_action(coordinator, plan, description="x", owner=coordinator, due_on=SOON)
    detail = reverse("violations:person_detail", args=[file.person_id])
    body = login(coordinator).get(detail).content.decode()
    assert 'id="support"' in body and "1 agreed action to do." in body
    assert "0 open referrals." in body
    assert 'id="support"' not in login(viewer).get(detail).content.decode()


PLANS = "/api/v1/survivors/plans"


def test_api_keeps_the_plan(
    bearer: Callable[[User], Client], coordinator: User, file: SurvivorFile
) -> None:
    give(coordinator, file, D)
    api = bearer(coordinator)
    url = f"{PLANS}/persons/{file.person_id}"
    assert api.get(url).status_code == 404
    saved = api.put(url, {"needs": ["legal"], "needs_note": "n"}, content_type="application/json")
    assert saved.status_code == 200 and saved.json()["needs"] == ["legal"]
    bad = api.put(url, {"needs": ["astrology"]}, content_type="application/json")
    assert bad.status_code == 422
    body = {"description": "Call", "owner_id": coordinator.pk, "due_on": SOON.isoformat()}
    added = api.post(f"{url}/actions", body, content_type="application/json")
    assert added.status_code == 201
    done = api.post(f"{PLANS}/actions/{added.json()['id']}/done")
    assert done.status_code == 200 and done.json()["done_at"]
    reviewed = api.post(f"{url}/review", {}, content_type="application/json")
    assert reviewed.json()["reviewed_by_id"] == coordinator.pk
    assert [a["description"] for a in api.get(url).json()["actions"]] == ["Call"]


@pytest.mark.parametrize("who", ["viewer", "documenter", "outsider"])
def test_api_refuses_the_plan_to_others(
    bearer: Callable[[User], Client], cast: Any, coordinator: User, plan: SupportPlan, who: str
) -> None:
    action = actions.add_plan_action(
        coordinator, plan, description="x", owner=coordinator, due_on=SOON
    )
    api = bearer(getattr(cast, who))
    url = f"{PLANS}/persons/{plan.person_id}"
    assert api.get(url).status_code == 404
    assert api.put(url, {"needs": []}, content_type="application/json").status_code == 404
    assert api.post(f"{url}/review", {}, content_type="application/json").status_code == 404
    body = {"description": "y", "owner_id": coordinator.pk, "due_on": SOON.isoformat()}
    assert api.post(f"{url}/actions", body, content_type="application/json").status_code == 404
    assert api.post(f"{PLANS}/actions/{action.pk}/done").status_code == 404
    plan.refresh_from_db()
    action.refresh_from_db()
    assert plan.needs == ["legal", "medical"] and action.done_at is None


def test_api_closes_the_plan_after_documentation_consent_is_withdrawn(
    bearer: Callable[[User], Client], coordinator: User, file: SurvivorFile, plan: SupportPlan
) -> None:
    api = bearer(coordinator)
    url = f"{PLANS}/persons/{file.person_id}"
    assert api.get(url).status_code == 200
    withdraw(coordinator, file, D)
    assert api.get(url).status_code == 404
