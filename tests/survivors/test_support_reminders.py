"""Reminders of overdue support work through the task worker: which are due, sent once
(idempotent), to the responsible staff, with no survivor data in them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from justicework.audit.models import AuditEntry
from justicework.core import actions as core_actions
from justicework.core.models import User
from justicework.core.roles import Role
from justicework.core.uses import Scope
from justicework.survivors import actions, reminders
from justicework.survivors.models import (
    Referral,
    Reminder,
    ServiceProvider,
    SupportAction,
    SurvivorFile,
)
from justicework.survivors.tasks import send_support_reminders
from tests.conftest import make_user
from tests.survivors.conftest import give

pytestmark = pytest.mark.django_db

PAST = timezone.localdate() - dt.timedelta(days=2)


def today() -> dt.date:
    """Asked each time: a run may cross midnight."""
    return timezone.localdate()


S = Referral.Status


@pytest.fixture
def colleague(acme: object) -> User:
    user = make_user("second.coordinator@acme.test")
    core_actions.add_member(None, acme, user, Role.SUPPORT_COORDINATOR)  # type: ignore[arg-type]
    return user


@pytest.fixture
def overdue(
    coordinator: User, colleague: User, file: SurvivorFile, clinic: ServiceProvider
) -> tuple[Referral, SupportAction]:
    give(coordinator, file, Scope.DOCUMENTATION)
    give(coordinator, file, Scope.REFERRAL)
    referral = actions.create_referral(
        coordinator, file,
        actions.ReferralData(provider=clinic, shared_items=["code"], note="Secret note",
                             responsible=colleague, follow_up_on=today()),
    )  # fmt: skip
    plan = actions.save_plan(coordinator, file, needs=["medical"], needs_note="Nightmares")
    action = actions.add_plan_action(
        coordinator, plan, description="Accompany to the hearing", owner=coordinator, due_on=today()
    )
    Referral.objects.filter(pk=referral.pk).update(follow_up_on=PAST)
    SupportAction.objects.filter(pk=action.pk).update(due_on=PAST)
    return referral, action


def test_overdue_follow_ups_and_actions_are_due_and_nothing_else(
    coordinator: User, overdue: tuple[Referral, SupportAction], clinic: ServiceProvider
) -> None:
    referral, action = overdue
    found = reminders.due()
    assert [(d.kind, d.object_id, d.due_on) for d in found] == [
        ("referral", referral.pk, PAST),
        ("action", action.pk, PAST),
    ]
    assert reminders.due(PAST) == []  # not overdue on its own date
    Referral.objects.filter(pk=referral.pk).update(status=S.COMPLETED)
    actions.complete_plan_action(coordinator, action)
    assert reminders.due() == []


def test_reminders_go_to_the_responsible_staff_once_and_carry_no_survivor_data(
    coordinator: User,
    colleague: User,
    file: SurvivorFile,
    overdue: tuple[Referral, SupportAction],
) -> None:
    referral, action = overdue
    assert reminders.send_reminders() == 2
    assert reminders.send_reminders() == 0  # idempotent
    assert len(mail.outbox) == 2
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {colleague.email, coordinator.email}
    assert f"/survivors/referrals/{referral.pk}/" in by_recipient[colleague.email].body
    assert f"/survivors/plan-actions/{action.pk}/" in by_recipient[coordinator.email].body
    person = file.person
    person.refresh_from_db()
    secrets = ["Mariam", "Haddad", person.code, "Secret note", "Nightmares", "Accompany",
               "Clinic Nadiya", "medical", "hearing", "/persons/"]  # fmt: skip
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        assert not [s for s in secrets if s and s in text], text
    assert Reminder.objects.count() == 2
    assert AuditEntry.objects.filter(action="survivors.reminder.sent").count() == 2


def test_a_new_follow_up_date_reminds_again(
    coordinator: User, overdue: tuple[Referral, SupportAction]
) -> None:
    referral, _action = overdue
    reminders.send_reminders()
    Referral.objects.filter(pk=referral.pk).update(follow_up_on=PAST + dt.timedelta(days=1))
    assert reminders.send_reminders() == 1


def test_an_inactive_recipient_is_skipped_and_not_marked_as_reminded(
    colleague: User, overdue: tuple[Referral, SupportAction]
) -> None:
    User.objects.filter(pk=colleague.pk).update(is_active=False)
    assert reminders.send_reminders() == 1
    assert [d.kind for d in reminders.due()] == ["referral"]


def test_the_task_and_the_command_send_through_the_worker(
    overdue: tuple[Referral, SupportAction],
) -> None:
    result = send_support_reminders.enqueue()  # the immediate backend under test settings
    assert result.return_value == 2
    out = StringIO()
    call_command("survivor_reminders", stdout=out)
    assert "enqueued" in out.getvalue()
    call_command("survivor_reminders", "--now", stdout=out)
    assert "0 reminder(s) sent." in out.getvalue()
    assert len(mail.outbox) == 2


def test_the_reminder_link_opens_only_for_those_who_may_see_it(
    login: Callable[[User], Client],
    coordinator: User,
    outsider: User,
    overdue: tuple[Referral, SupportAction],
) -> None:
    _referral, action = overdue
    url = reverse("survivors:plan_action", args=[action.pk])
    assert login(outsider).get(url).status_code == 404
    response = login(coordinator).get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("survivors:plan", args=[action.person_id])
