"""Retention actions: schedules, the review list, anonymise and delete, legal holds (set,
lift, stopping both), the dry run, permissions and bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from justicework.audit.models import AuditEntry
from justicework.core.models import Organisation, User
from justicework.survivors import actions
from justicework.survivors.models import (
    Consent,
    LegalHold,
    RetentionDone,
    RetentionSchedule,
    SurvivorFile,
    SurvivorStatistics,
)
from justicework.survivors.retention import due_records
from justicework.survivors.tasks import apply_retention_schedules
from justicework.violations.models import Person, PersonIndex
from tests.survivors.retention_helpers import consented, old_file, schedule

pytestmark = pytest.mark.django_db
DELETE = RetentionSchedule.Action.DELETE


def test_admin_sets_a_schedule_and_replaces_it(admin: User, acme: Organisation) -> None:
    schedule(admin, acme, days=30)
    again = schedule(admin, acme, days=60, action=DELETE)
    assert RetentionSchedule.objects.filter(organisation=acme).count() == 1
    assert (again.period_days, again.action) == (60, DELETE)
    entry = AuditEntry.objects.filter(action="survivors.retention.schedule_set").last()
    assert entry is not None and entry.diff["period_days"] == 60


@pytest.mark.parametrize("who", ["coordinator", "viewer", "documenter", "beacon_admin", "loner"])
def test_only_an_admin_of_the_organisation_sets_a_schedule(
    who: str, request: pytest.FixtureRequest, acme: Organisation
) -> None:
    with pytest.raises(PermissionDenied):
        schedule(request.getfixturevalue(who), acme)
    assert not RetentionSchedule.objects.exists()


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("record_type", {"record_type": "survivors.nothing"}),
        ("start_event", {"event": "closed"}),
        ("period_days", {"days": 0}),
        ("action", {"action": "shred"}),
    ],
)
def test_bad_schedule_input_names_the_field_and_saves_nothing(
    admin: User, acme: Organisation, field: str, kwargs: dict[str, object]
) -> None:
    with pytest.raises(ValidationError) as caught:
        schedule(admin, acme, **kwargs)  # type: ignore[arg-type]  # the bad values on purpose
    assert field in caught.value.message_dict
    assert not RetentionSchedule.objects.exists()


def test_review_lists_only_records_past_their_period(
    admin: User, coordinator: User, acme: Organisation
) -> None:
    old = old_file(acme, coordinator, days=400)
    old_file(acme, coordinator, days=10)
    schedule(admin, acme, days=365)
    due = due_records(acme)
    assert [d.file_id for d in due] == [old.pk]
    assert due[0].code == old.person.code
    assert due[0].due_on == timezone.localdate(old.opened_at) + dt.timedelta(days=365)


def test_review_of_another_organisation_is_empty(
    admin: User, coordinator: User, acme: Organisation, beacon: Organisation
) -> None:
    old_file(acme, coordinator)
    schedule(admin, acme)
    assert due_records(beacon) == []


def test_apply_anonymises_identity_keeps_statistics_and_is_not_offered_again(
    admin: User, coordinator: User, acme: Organisation
) -> None:
    file = old_file(acme, coordinator)
    consented(file, coordinator, "Never call my brother.", "Olena K.")
    schedule(admin, acme)
    report = actions.apply_retention(admin, acme)
    assert [d.row_id for d in report.done] == [file.pk]
    person = Person.objects.get(pk=file.person_id)
    assert all(getattr(person, name) is None for name in Person.IDENTITY_FIELDS)
    assert not PersonIndex.objects.filter(person=person).exists()
    consent = Consent.objects.get(file=file)
    assert consent.conditions is None and consent.interpreter is None
    stats = SurvivorStatistics.objects.get(file=file)
    assert (stats.sex, stats.country, stats.age_group_now) == ("female", "UA", "41-60")
    assert RetentionDone.objects.filter(record_type="survivors.file", record_id=file.pk).exists()
    assert due_records(acme) == []
    entry = AuditEntry.objects.filter(action="survivors.retention.anonymise").get()
    assert entry.diff["record_type"] == "survivors.file" and entry.object_id == str(file.pk)


def test_dry_run_changes_nothing(admin: User, coordinator: User, acme: Organisation) -> None:
    file = old_file(acme, coordinator)
    schedule(admin, acme)
    before_audit = AuditEntry.objects.count()
    before_index = PersonIndex.objects.filter(person_id=file.person_id).count()
    report = actions.apply_retention(admin, acme, dry_run=True)
    assert [d.row_id for d in report.done] == [file.pk]
    person = Person.objects.get(pk=file.person_id)
    assert person.full_name and person.date_of_birth
    assert PersonIndex.objects.filter(person_id=file.person_id).count() == before_index > 0
    assert AuditEntry.objects.count() == before_audit
    assert not RetentionDone.objects.exists() and not SurvivorStatistics.objects.exists()


@pytest.mark.parametrize("action", [RetentionSchedule.Action.ANONYMISE, DELETE])
def test_a_legal_hold_stops_anonymisation_and_deletion(
    admin: User, coordinator: User, acme: Organisation, action: str
) -> None:
    file = old_file(acme, coordinator)
    schedule(admin, acme, action=action)
    hold = actions.set_legal_hold(admin, file, reason="ICC-01/04-02/06")
    report = actions.apply_retention(admin, acme)
    assert report.done == [] and [d.file_id for d in report.held] == [file.pk]
    assert Person.objects.get(pk=file.person_id).full_name
    assert SurvivorFile.objects.filter(pk=file.pk).exists()
    actions.lift_legal_hold(admin, hold)
    assert [d.file_id for d in actions.apply_retention(admin, acme).done] == [file.pk]


def test_a_hold_past_its_end_no_longer_stops(
    admin: User, coordinator: User, acme: Organisation
) -> None:
    file = old_file(acme, coordinator)
    schedule(admin, acme)
    hold = actions.set_legal_hold(admin, file, reason="Case 7", ends_on=timezone.localdate())
    assert actions.apply_retention(admin, acme, dry_run=True).held
    LegalHold.objects.filter(pk=hold.pk).update(ends_on=timezone.localdate() - dt.timedelta(1))
    assert [d.file_id for d in actions.apply_retention(admin, acme).done] == [file.pk]


def test_a_hold_set_after_the_review_still_stops(
    admin: User, coordinator: User, acme: Organisation
) -> None:
    from justicework.survivors.actions.retention import _apply_one

    file = old_file(acme, coordinator)
    schedule(admin, acme)
    (due,) = due_records(acme)
    actions.set_legal_hold(admin, file, reason="Late request from the prosecutor")
    assert _apply_one(admin, due) is False
    assert Person.objects.get(pk=file.person_id).full_name


def test_delete_removes_the_file_and_the_person(
    admin: User, coordinator: User, acme: Organisation
) -> None:
    file = old_file(acme, coordinator)
    consented(file, coordinator, "Only by text message.", "")
    schedule(admin, acme, action=DELETE)
    report = actions.apply_retention(admin, acme)
    assert [d.file_id for d in report.done] == [file.pk]
    assert not Person.objects.filter(pk=file.person_id).exists()
    assert not SurvivorFile.objects.filter(pk=file.pk).exists()
    assert not Consent.objects.filter(file_id=file.pk).exists()
    assert AuditEntry.objects.filter(action="survivors.retention.delete").count() == 1


def test_consent_schedule_anonymises_conditions_only(
    admin: User, coordinator: User, acme: Organisation
) -> None:
    file = old_file(acme, coordinator)
    consented(file, coordinator, "Do not tell my employer.", "Ivan P.")
    Consent.objects.filter(file=file).update(given_at=timezone.now() - dt.timedelta(days=50))
    schedule(admin, acme, days=30, record_type="survivors.consent", event="given")
    report = actions.apply_retention(admin, acme)
    assert len(report.done) == 1
    assert Consent.objects.get(file=file).conditions is None
    assert Person.objects.get(pk=file.person_id).full_name


def test_hold_set_and_lift_are_audited_without_the_reason(
    admin: User, coordinator: User, acme: Organisation
) -> None:
    file = old_file(acme, coordinator)
    hold = actions.set_legal_hold(admin, file, reason="Secret case reference XYZ-991")
    actions.lift_legal_hold(admin, hold)
    entries = AuditEntry.objects.filter(action__startswith="survivors.legal_hold")
    assert [e.action for e in entries.order_by("seq")] == [
        "survivors.legal_hold.set",
        "survivors.legal_hold.lifted",
    ]
    assert all("XYZ-991" not in str(e.diff) for e in entries)
    with pytest.raises(ValidationError):
        actions.lift_legal_hold(admin, hold)


@pytest.mark.parametrize("who", ["coordinator", "viewer", "beacon_admin"])
def test_only_an_admin_sets_or_lifts_a_hold(
    who: str, request: pytest.FixtureRequest, admin: User, coordinator: User, acme: Organisation
) -> None:
    file = old_file(acme, coordinator)
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        actions.set_legal_hold(user, file, reason="x")
    hold = actions.set_legal_hold(admin, file, reason="Case 1")
    with pytest.raises(PermissionDenied):
        actions.lift_legal_hold(user, hold)
    assert LegalHold.objects.get().lifted_at is None


def test_bad_hold_input_is_refused(admin: User, coordinator: User, acme: Organisation) -> None:
    file = old_file(acme, coordinator)
    with pytest.raises(ValidationError) as caught:
        actions.set_legal_hold(admin, file, reason="  ")
    assert "reason" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        actions.set_legal_hold(admin, file, reason="x", ends_on=dt.date(2000, 1, 1))
    assert "ends_on" in caught.value.message_dict
    assert not LegalHold.objects.exists()


@pytest.mark.parametrize("who", ["coordinator", "viewer", "beacon_admin"])
def test_only_an_admin_applies_retention(
    who: str, request: pytest.FixtureRequest, admin: User, coordinator: User, acme: Organisation
) -> None:
    file = old_file(acme, coordinator)
    schedule(admin, acme)
    with pytest.raises(PermissionDenied):
        actions.apply_retention(request.getfixturevalue(who), acme)
    assert Person.objects.get(pk=file.person_id).full_name


def test_the_task_applies_every_organisation(
    admin: User, beacon_admin: User, coordinator: User, acme: Organisation, beacon: Organisation
) -> None:
    file = old_file(acme, coordinator)
    schedule(admin, acme)
    held = old_file(acme, coordinator)
    actions.set_legal_hold(admin, held, reason="Case 2")
    totals = apply_retention_schedules.func()
    assert totals == {"done": 1, "held": 1, "failed": 0}
    assert Person.objects.get(pk=file.person_id).full_name is None
    entry = AuditEntry.objects.filter(action="survivors.retention.anonymise").get()
    assert entry.actor_id is None


def test_deleting_a_victim_still_linked_fails_with_the_reason_and_changes_nothing(
    admin: User, coordinator: User, acme: Organisation
) -> None:
    from tests.violations.conftest import make_incident, make_violation

    file = old_file(acme, coordinator)
    make_violation(make_incident(acme), victim=file.person)
    schedule(admin, acme, action=DELETE)
    report = actions.apply_retention(admin, acme)
    assert report.done == []
    ((due, reason),) = report.failed
    assert due.file_id == file.pk and "anonymise instead" in reason
    assert SurvivorFile.objects.filter(pk=file.pk).exists()
    assert Person.objects.get(pk=file.person_id).full_name
    assert AuditEntry.objects.filter(action="survivors.retention.failed").count() == 1
    # anonymising the same survivor works: the links stay, the identity goes
    schedule(admin, acme)
    assert [d.file_id for d in actions.apply_retention(admin, acme).done] == [file.pk]
    assert Person.objects.get(pk=file.person_id).full_name is None
