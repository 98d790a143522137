"""Who sees and acts on an award's money: programme staff of the call's organisation manage;
the grantee's members see their own award and write their reports; reviewers, viewers, another
grantee, an officer of another organisation and anonymous visitors see nothing."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from justicework.core import policy
from justicework.core.models import User
from justicework.grants.models import Award, GranteeReport, Payment, Tranche

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(award: Award) -> SimpleNamespace:
    report = GranteeReport.objects.create(
        award=award, kind="narrative", title="T", due_on="2027-01-01"
    )
    tranche = Tranche.objects.create(award=award, order=1, amount=10, condition="signature")
    payment = Payment.objects.create(award=award, amount=5, date="2026-01-01", reference="R")
    return SimpleNamespace(award=award, report=report, tranche=tranche, payment=payment)


def test_staff_manage_and_the_grantee_sees(
    officer: User, applicant: SimpleNamespace, records: SimpleNamespace
) -> None:
    for obj in (records.award, records.tranche, records.payment, records.report):
        assert policy.can(officer, "manage", obj)
        assert policy.can(applicant.user, "view", obj)
        assert not policy.can(applicant.user, "manage", obj)
    assert policy.can(applicant.user, "write", records.report)
    assert not policy.can(officer, "write", records.report)
    assert list(policy.visible(applicant.user, Payment)) == [records.payment]
    assert list(policy.visible(officer, Award, "manage")) == [records.award]


@pytest.mark.parametrize(
    "who", ["reviewer", "viewer", "beacon_officer", "beacon_admin", "other", "anonymous"]
)
def test_others_see_nothing(
    who: str, records: SimpleNamespace, other_applicant: SimpleNamespace,
    request: pytest.FixtureRequest,
) -> None:  # fmt: skip
    user = {"other": other_applicant.user, "anonymous": AnonymousUser()}.get(who)
    user = user or request.getfixturevalue(who)
    for obj in (records.award, records.tranche, records.payment, records.report):
        for action in ("view", "manage", "write", "review"):
            assert not policy.can(user, action, obj)
    for model in (Award, Tranche, Payment, GranteeReport):
        assert not policy.visible(user, model).exists()


def test_a_report_is_reviewed_only_once_submitted(officer: User, records: SimpleNamespace) -> None:
    decision = policy.can(officer, "review", records.report)
    assert not decision and "submitted" in str(decision.reason)
    records.report.status = "submitted"
    assert policy.can(officer, "review", records.report)
