"""Safety reviews as task-worker reminders: a due review reminds its responsible staff once,
a review done (a new assessment) moves the date and stops them, another organisation's staff
are never reminded, and the e-mail holds nothing about the survivor."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from justicework.audit.models import AuditEntry
from justicework.core import actions as core_actions
from justicework.core.models import Membership, Organisation, User
from justicework.core.roles import Role
from justicework.core.uses import Scope
from justicework.survivors import actions, reminders
from justicework.survivors.models import Reminder, SafetyAssessment, SurvivorFile
from justicework.survivors.tasks import send_support_reminders
from justicework.violations import actions as violations_actions
from tests.survivors.conftest import give, withdraw

pytestmark = pytest.mark.django_db

PAST = timezone.localdate() - dt.timedelta(days=3)


def today() -> dt.date:
    """Asked each time: a run may cross midnight."""
    return timezone.localdate()


SAFETY = Reminder.Kind.SAFETY


def assess(actor: User, file: SurvivorFile, review_on: dt.date | None = None) -> SafetyAssessment:
    return actions.record_safety_assessment(
        actor, file,
        actions.Safety(review_on=review_on or today(), threats="Brother-in-law Karim",
                       code_word="Jasmine", contact_methods="Only by phone after 18:00",
                       never_tell="Her employer"),
    )  # fmt: skip


@pytest.fixture
def documented(coordinator: User, file: SurvivorFile) -> SurvivorFile:
    give(coordinator, file, Scope.DOCUMENTATION)
    return file


@pytest.fixture
def due_review(documenter: User, documented: SurvivorFile) -> SafetyAssessment:
    """Assessed by the documenter at intake; the file was opened by the coordinator."""
    assessment = assess(documenter, documented)
    SafetyAssessment.objects.filter(pk=assessment.pk).update(review_on=PAST)
    return assessment


def _beacon_review(outsider: User, beacon: Organisation) -> SafetyAssessment:
    person = violations_actions.create_person(None, beacon, full_name="Amani Lukusa")
    file = actions.open_survivor_file(outsider, person, preferred_language="fr")
    give(outsider, file, Scope.DOCUMENTATION)
    return assess(outsider, file)  # due today


def test_a_review_due_today_or_past_is_due_and_a_future_one_is_not(
    coordinator: User, documented: SurvivorFile
) -> None:
    assessment = assess(coordinator, documented)  # due today
    assert [(d.kind, d.object_id, d.due_on) for d in reminders.due()] == [
        (SAFETY, assessment.pk, today())
    ]
    assert reminders.due(today() - dt.timedelta(days=1)) == []


def test_a_due_review_reminds_its_assessor_once(
    documenter: User, due_review: SafetyAssessment
) -> None:
    assert reminders.send_reminders() == 1
    assert reminders.send_reminders() == 0  # the next run: nothing twice
    assert send_support_reminders.enqueue().return_value == 0  # nor through the worker
    assert [m.to for m in mail.outbox] == [[documenter.email]]
    assert f"/survivors/reviews/{due_review.pk}/" in mail.outbox[0].body
    reminder = Reminder.objects.get()
    assert (reminder.kind, reminder.object_id, reminder.due_on) == (SAFETY, due_review.pk, PAST)
    entry = AuditEntry.objects.get(action="survivors.reminder.sent")
    assert entry.diff == {"kind": SAFETY, "object": due_review.pk, "recipient": documenter.pk}


def test_a_review_done_moves_the_date_and_stops_the_reminders(
    coordinator: User, documented: SurvivorFile, due_review: SafetyAssessment
) -> None:
    assert reminders.send_reminders() == 1
    review = assess(coordinator, documented, today() + dt.timedelta(days=90))
    assert reminders.due() == []
    assert reminders.due(today() + dt.timedelta(days=90))[0].object_id == review.pk  # the new date
    assert reminders.send_reminders() == 0
    assert len(mail.outbox) == 1


def test_the_email_holds_no_name_pseudonym_code_word_or_detail(
    documented: SurvivorFile, due_review: SafetyAssessment
) -> None:
    reminders.send_reminders()
    person = documented.person
    person.refresh_from_db()
    (message,) = mail.outbox
    link = reverse("survivors:safety_review", args=[due_review.pk])
    assert message.subject == "JusticeWork: a review is due"
    assert message.body == (
        f"A review you are responsible for is due.\n\nOpen it here (sign-in needed): {link}\n"
    )
    assert "persons" not in link and "safety" not in link  # the link names no person or topic
    words = f"{message.subject}\n{message.body.replace(link, '')}"
    secrets = ["Mariam", "Haddad", person.code, "Jasmine", "Karim", "18:00", "employer",
               "afety", "urvivor"]  # fmt: skip
    assert not [s for s in secrets if s and s in words], words


def test_another_organisations_staff_are_not_reminded_of_its_reviews(
    documenter: User,
    outsider: User,
    beacon: Organisation,
    due_review: SafetyAssessment,
) -> None:
    theirs = _beacon_review(outsider, beacon)
    assert reminders.send_reminders() == 2
    by_recipient = {m.to[0]: m.body for m in mail.outbox}
    assert set(by_recipient) == {documenter.email, outsider.email}
    assert f"/reviews/{due_review.pk}/" in by_recipient[documenter.email]
    assert f"/reviews/{theirs.pk}/" in by_recipient[outsider.email]


def test_an_assessor_who_moved_to_another_organisation_is_passed_for_the_file_opener(
    admin: User,
    coordinator: User,
    documenter: User,
    acme: Organisation,
    beacon: Organisation,
    due_review: SafetyAssessment,
) -> None:
    core_actions.remove_member(admin, Membership.objects.get(organisation=acme, user=documenter))
    core_actions.add_member(None, beacon, documenter, Role.SUPPORT_COORDINATOR)
    assert reminders.send_reminders() == 1
    assert [m.to for m in mail.outbox] == [[coordinator.email]]


def test_with_nobody_responsible_left_no_one_is_reminded_and_the_review_stays_due(
    coordinator: User, documenter: User, due_review: SafetyAssessment
) -> None:
    User.objects.filter(pk__in=[coordinator.pk, documenter.pk]).update(is_active=False)
    assert reminders.send_reminders() == 0
    assert mail.outbox == [] and Reminder.objects.count() == 0
    User.objects.filter(pk=coordinator.pk).update(is_active=True)
    assert reminders.send_reminders() == 1


def test_a_viewer_is_never_the_responsible_staff(
    admin: User, viewer: User, documenter: User, coordinator: User, due_review: SafetyAssessment
) -> None:
    User.objects.filter(pk__in=[coordinator.pk, documenter.pk]).update(is_active=False)
    SurvivorFile.objects.filter(pk=due_review.file_id).update(opened_by=viewer)
    assert reminders.send_reminders() == 0


def test_no_reminder_once_documentation_consent_is_withdrawn(
    coordinator: User, documented: SurvivorFile, due_review: SafetyAssessment
) -> None:
    withdraw(coordinator, documented, Scope.DOCUMENTATION)
    assert reminders.due() == []


def test_the_reminder_link_opens_only_for_those_who_may_read_the_assessment(
    login: Callable[[User], Client],
    coordinator: User,
    viewer: User,
    outsider: User,
    due_review: SafetyAssessment,
) -> None:
    url = reverse("survivors:safety_review", args=[due_review.pk])
    assert login(outsider).get(url).status_code == 404
    assert login(viewer).get(url).status_code == 404
    response = login(coordinator).get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("survivors:safety", args=[due_review.file.person_id])
