"""Records retention: a call's records are locked until N years after its last payment (the
programme's years, never fewer than the setting); a deletion asks first and is refused with
the date while locked."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from justicework.audit.models import AuditEntry
from justicework.core.models import User
from justicework.grants import retention
from justicework.grants.models import Application, Award, Call, Payment
from tests.grants.conftest import make_application, make_call

pytestmark = pytest.mark.django_db


def _pay(award: Award, day: dt.date) -> None:
    Payment.objects.create(award=award, amount=10, date=day, reference="R")


def test_locked_until_years_after_the_last_payment(award: Award, open_call: Call) -> None:
    assert retention.locked_until(make_call(open_call.programme)) is None
    assert retention.locked_until(open_call) == retention.OPEN_ENDED
    _pay(award, dt.date(2026, 3, 1))
    _pay(award, dt.date(2027, 2, 1))
    assert retention.locked_until(open_call) == dt.date(2032, 2, 1)
    open_call.programme.retention_years = 7
    assert retention.locked_until(open_call) == dt.date(2034, 2, 1)
    open_call.programme.retention_years = 2  # the setting is a floor
    assert retention.locked_until(open_call) == dt.date(2032, 2, 1)
    with override_settings(GRANTS_RETENTION_YEARS=10):
        assert retention.locked_until(open_call) == dt.date(2037, 2, 1)


def test_a_leap_day_payment_is_kept_until_the_28th(award: Award, open_call: Call) -> None:
    _pay(award, dt.date(2028, 2, 29))
    assert retention.locked_until(open_call) == dt.date(2033, 2, 28)


def test_a_withdrawn_application_is_not_deleted_while_locked(
    officer: User, award: Award, open_call: Call, other_applicant: SimpleNamespace
) -> None:
    withdrawn = make_application(open_call, other_applicant.entity, status="withdrawn")
    _pay(award, timezone.localdate())
    with pytest.raises(ValidationError) as caught:
        retention.delete_application(officer, withdrawn)
    assert "kept for control until" in caught.value.message_dict["retention"][0]
    assert Application.objects.filter(pk=withdrawn.pk).exists()
    retention.check_deletable(open_call, today=timezone.localdate() + dt.timedelta(days=6 * 366))


def test_a_call_without_payment_but_with_awards_is_locked(
    officer: User, award: Award, open_call: Call, other_applicant: SimpleNamespace
) -> None:
    withdrawn = make_application(open_call, other_applicant.entity, status="withdrawn")
    with pytest.raises(ValidationError, match="retention period starts with its last payment"):
        retention.delete_application(officer, withdrawn)


def test_deletion_once_allowed_is_audited_and_asks_the_policy(
    officer: User, reviewer: User, beacon_admin: User, open_call: Call,
    applicant: SimpleNamespace,
) -> None:  # fmt: skip
    withdrawn = make_application(open_call, applicant.entity, status="withdrawn")
    for user in (reviewer, beacon_admin, applicant.user):
        with pytest.raises(PermissionDenied):
            retention.delete_application(user, withdrawn)
    submitted = make_application(open_call, applicant.entity)
    with pytest.raises(ValidationError, match="Only a withdrawn"):
        retention.delete_application(officer, submitted)
    retention.delete_application(officer, withdrawn)
    assert not Application.objects.filter(pk=withdrawn.pk).exists()
    entry = AuditEntry.objects.get(action="grants.application.deleted")
    assert entry.diff["reference"] == withdrawn.reference
