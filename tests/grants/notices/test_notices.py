"""Applicants are told of every status change they must know about: each event makes one
notice on the application's page and one e-mail to each member of the applicant organisation
holding ``grant.apply`` (never another applicant, a co-applicant or staff); the reason written
for the applicant is on the page, never in the e-mail, and never a reviewer's comment or score."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from justicework.grants import actions_calls, notices
from justicework.grants import actions_money as money
from justicework.grants import actions_money_reports as reports
from justicework.grants.actions_review import conflicts, decisions, eligibility, scoring
from justicework.grants.models import ApplicantNotice, Application, Call
from justicework.grants.models.review import Assignment, EligibilityCheck
from tests.grants.conftest import make_application
from tests.grants.money.conftest import make_award
from tests.grants.notices.conftest import mailed_to
from tests.grants.review.test_eligibility import complete, decide_open_items

pytestmark = pytest.mark.django_db
K = ApplicantNotice.Kind
REVIEWER_REMARK = "Reviewer-only remark: the budget looks padded"


@pytest.fixture
def members(applicant: SimpleNamespace, colleague) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted([applicant.user.email, colleague.email])


def test_ineligible_tells_each_member_once_with_the_reason_on_the_page(
    open_call, applicant, members, rival, officer, officer2, reviewer, login,
    django_capture_on_commit_callbacks,
) -> None:  # fmt: skip
    app = complete(make_application(open_call, applicant.entity))
    eligibility.run_checks(officer, app)
    decide_open_items(officer, app)
    check = EligibilityCheck.objects.get(application=app, item=EligibilityCheck.Item.DECLARATION)
    eligibility.decide_item(officer, check, "not_met", "The declaration is not signed.")
    with django_capture_on_commit_callbacks(execute=True):
        eligibility.confirm(officer, app)
    assert mail.outbox == [] and not ApplicantNotice.objects.exists()  # one confirmation: nothing
    with django_capture_on_commit_callbacks(execute=True):
        eligibility.confirm(officer2, app)
    assert mailed_to() == members  # not the rival, not the staff, not the reviewer
    notice = ApplicantNotice.objects.get()
    assert (notice.application, notice.kind, notice.status) == (app, K.ELIGIBILITY, "ineligible")
    assert "not signed" in notice.reason
    assert all("not signed" not in m.body for m in mail.outbox)  # the reason stays on the page
    assert all(app.reference in m.subject for m in mail.outbox)
    page = login(applicant.user).get(reverse("grants:application_detail", args=[app.pk]))
    assert "The declaration is not signed." in page.content.decode()


def test_eligible_tells_without_a_reason(
    open_call, applicant, members, officer, officer2, django_capture_on_commit_callbacks
) -> None:
    app = complete(make_application(open_call, applicant.entity))
    eligibility.run_checks(officer, app)
    decide_open_items(officer, app)
    eligibility.confirm(officer, app)
    with django_capture_on_commit_callbacks(execute=True):
        eligibility.confirm(officer2, app)
    notice = ApplicantNotice.objects.get()
    assert (notice.status, notice.reason) == ("in_review", "")
    assert mailed_to() == members
    assert "eligible" in notices.sentence(notice)


def _reviewed(app: Application, reviewer) -> None:  # type: ignore[no-untyped-def]
    conflicts.declare_for_call(reviewer, app.call, [])
    assignment = Assignment.objects.create(call=app.call, application=app, reviewer=reviewer)
    conflicts.declare_for_application(reviewer, assignment, "", "")
    given = {
        c.pk: (min(7, c.max_score), REVIEWER_REMARK) for c in scoring.scored_criteria(app.call_id)
    }
    scoring.save_review(reviewer, assignment, given, submit=True)


@pytest.mark.parametrize("outcome", ["award", "reserve", "reject"])
def test_the_decision_tells_the_reasons_never_the_reviews(
    outcome, open_call, applicant, members, rival, officer, reviewer, login,
    django_capture_on_commit_callbacks,
) -> None:  # fmt: skip
    app = make_application(open_call, applicant.entity, status="in_review")
    _reviewed(app, reviewer)
    extra = {"amount": "20000"} if outcome == "award" else {}
    with django_capture_on_commit_callbacks(execute=True):
        decisions.decide(
            officer, app, outcome=outcome, reasons="Strong local partners; clear plan.", **extra
        )
    assert mailed_to() == members
    notice = ApplicantNotice.objects.get()
    assert notice.kind == K.DECISION and notice.reason == "Strong local partners; clear plan."
    for message in mail.outbox:
        assert "Strong local partners" not in message.body and "20000" not in message.body
    page = login(applicant.user).get(reverse("grants:application_detail", args=[app.pk]))
    text = page.content.decode()
    assert "Strong local partners; clear plan." in text
    assert REVIEWER_REMARK not in text
    assert ("20000" in text) == (outcome == "award")


def test_a_refused_decision_tells_nobody(
    open_call, applicant, members, officer, django_capture_on_commit_callbacks
) -> None:
    app = make_application(open_call, applicant.entity, status="in_review")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        decisions.decide(officer, app, outcome="award", reasons="Good.", amount="1")
    assert mail.outbox == [] and not ApplicantNotice.objects.exists()


@pytest.fixture
def award(open_call: Call, applicant: SimpleNamespace, members):  # type: ignore[no-untyped-def]
    return make_award(open_call, applicant.entity)


def test_agreement_sent_tells_it_is_ready_to_sign(
    award, members, rival, officer, django_capture_on_commit_callbacks
) -> None:
    agreement = money.generate_agreement(officer, award)
    assert not ApplicantNotice.objects.exists()  # a draft is not the applicant's business yet
    with django_capture_on_commit_callbacks(execute=True):
        money.mark_agreement_sent(officer, agreement)
    assert mailed_to() == members
    assert ApplicantNotice.objects.get().kind == K.AGREEMENT


def test_a_report_returned_then_approved_tells_twice_with_the_comments(
    award, applicant, members, officer, login, django_capture_on_commit_callbacks
) -> None:
    report = reports.schedule_report(
        officer, award, kind="narrative", title="First half",
        due_on=timezone.localdate() + dt.timedelta(days=30),
    )  # fmt: skip
    reports.save_report(applicant.user, report, narrative="We trained 54 people.")
    reports.submit_report(applicant.user, report)
    with django_capture_on_commit_callbacks(execute=True):
        reports.return_report(officer, report, "Say how many women took part.")
    assert mailed_to() == members
    returned = ApplicantNotice.objects.get()
    assert (returned.kind, returned.reason) == (K.REPORT_RETURNED, "Say how many women took part.")
    assert "First half" in notices.sentence(returned)
    reports.save_report(applicant.user, report, narrative="30 women of 54.")
    reports.submit_report(applicant.user, report)
    with django_capture_on_commit_callbacks(execute=True):
        reports.approve_report(officer, report)
    assert mailed_to() == sorted(members * 2)
    assert ApplicantNotice.objects.filter(kind=K.REPORT_APPROVED).count() == 1


def test_a_payment_of_a_tranche_tells_the_grantee(
    award, members, officer, django_capture_on_commit_callbacks
) -> None:
    tranche = money.add_tranche(officer, award, amount="10000", condition="signature")
    money.mark_agreement_sent(officer, money.generate_agreement(officer, award))
    money.mark_agreement_signed(officer, award.agreement, timezone.localdate())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        money.record_payment(
            officer, award, amount="10000", date=timezone.localdate(), reference="TX-1",
            tranche=tranche,
        )  # fmt: skip
    assert mailed_to() == members
    notice = ApplicantNotice.objects.get(kind=K.TRANCHE_PAID)
    assert notice.details["tranche"] == 1 and Decimal(notice.details["amount"]) == 10000
    assert "10000" not in mail.outbox[0].body  # no amounts by e-mail
    assert "10000" in notices.sentence(notice)


def test_a_change_to_the_published_call_tells_each_live_applicant_once(
    open_call, applicant, other_applicant, members, officer, django_capture_on_commit_callbacks
) -> None:
    make_application(open_call, applicant.entity, status="submitted")
    make_application(open_call, other_applicant.entity, status="draft")
    gone = make_applicant_withdrawn(open_call)
    with django_capture_on_commit_callbacks(execute=True):
        actions_calls.update_call(
            officer, open_call, note="The budget grew.",
            budget=Decimal("600000"), amount_min=Decimal("4000"),
        )  # fmt: skip
    # two fields changed at once are one notice per application, one e-mail per member
    assert mailed_to() == sorted([*members, other_applicant.user.email])
    assert gone.user.email not in mailed_to()
    assert ApplicantNotice.objects.filter(kind=K.CALL_CHANGED).count() == 2
    notice = ApplicantNotice.objects.filter(kind=K.CALL_CHANGED).first()
    assert notice is not None and notice.reason == "The budget grew."
    assert notice.details["changed"] == ["amount_min", "budget"]


def make_applicant_withdrawn(call: Call) -> SimpleNamespace:
    from tests.grants.conftest import make_applicant

    gone = make_applicant("Withdrawn Association", country="UA")
    make_application(call, gone.entity, status="withdrawn")
    return gone


def test_only_the_applicants_members_see_the_notices(
    open_call, applicant, other_applicant, officer, login
) -> None:
    app = make_application(open_call, applicant.entity, status="in_review")
    app.co_applicants.add(other_applicant.entity)
    notices.tell(app, K.DECISION, reason="Reasons for the applicant.")
    url = reverse("grants:application_detail", args=[app.pk])
    assert "Reasons for the applicant." in login(applicant.user).get(url).content.decode()
    for reader in (other_applicant.user, officer):  # a co-applicant, the staff
        page = login(reader).get(url)
        assert page.status_code == 200
        assert "Reasons for the applicant." not in page.content.decode()


def test_the_members_language_else_the_applications(open_call, applicant) -> None:
    app = make_application(open_call, applicant.entity, language="fr")
    assert notices.language_for("ar", app) == "ar"
    assert notices.language_for("", app) == "fr"
    app.language = "xx"
    assert notices.language_for("", app) == "en"


def test_the_page_reads_the_notices_in_fixed_queries(
    open_call, applicant, login, django_assert_max_num_queries
) -> None:
    app = make_application(open_call, applicant.entity, status="in_review")
    client = login(applicant.user)
    url = reverse("grants:application_detail", args=[app.pk])
    notices.tell(app, K.STATUS)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(5):
        notices.tell(app, K.DECISION, reason="Reasons.")
    with django_assert_max_num_queries(len(one)):
        assert client.get(url).content.decode().count("Reasons.") == 5
