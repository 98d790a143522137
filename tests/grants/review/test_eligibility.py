"""The eligibility checklist: automatic results from the data, staff decisions where the data
cannot say, two different staff confirming, an ineligible application marked with the reason."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from justicework.audit.models import AuditEntry
from justicework.grants.actions_review import eligibility
from justicework.grants.models import Application, Attachment, BudgetLine
from justicework.grants.models.review import EligibilityCheck
from tests.grants.conftest import make_application

Item = EligibilityCheck.Item


def complete(app: Application) -> Application:
    app.answers = {"summary": "What we do.", "staff": 3}
    app.save()
    BudgetLine.objects.create(
        application=app, activity_type="documentation", cost_category="staff", amount=1000
    )
    Attachment.objects.create(
        application=app,
        kind=Attachment.Kind.DECLARATION,
        file_name="declaration.pdf",
        media_type="application/pdf",
        size=1000,
        sha256="0" * 64,
    )
    return app


def results(app: Application) -> dict[str, str]:
    return dict(EligibilityCheck.objects.filter(application=app).values_list("item", "automatic"))


def decide_open_items(officer, app: Application) -> None:
    for check in EligibilityCheck.objects.filter(application=app, automatic="unknown"):
        eligibility.decide_item(officer, check, "met", "Checked by hand.")


def test_complete_application_is_met_where_the_data_says(open_call, applicant, officer) -> None:
    app = complete(make_application(open_call, applicant.entity))
    eligibility.run_checks(officer, app)
    found = results(app)
    assert found[Item.ON_TIME] == found[Item.COMPLETE] == "met"
    assert found[Item.COUNTRY] == found[Item.LEGAL_FORM] == found[Item.ONE_PROPOSAL] == "met"
    # a signature and a conflict of interest cannot be read from the data
    assert found[Item.DECLARATION] == found[Item.NO_CONFLICT] == "unknown"
    assert AuditEntry.objects.filter(action="grants.review.eligibility_checked").count() == 1


def test_late_incomplete_wrong_country_and_second_proposal_are_not_met(
    open_call, applicant, officer
) -> None:
    applicant.entity.country, applicant.entity.legal_form = "FR", "company"
    applicant.entity.save()
    make_application(open_call, applicant.entity)  # a first proposal of the same applicant
    app = make_application(
        open_call, applicant.entity, submitted_at=open_call.closes_at + timedelta(hours=1)
    )
    eligibility.run_checks(officer, app)
    found = results(app)
    for item in (
        Item.ON_TIME,
        Item.COMPLETE,
        Item.COUNTRY,
        Item.LEGAL_FORM,
        Item.DECLARATION,
        Item.ONE_PROPOSAL,
    ):
        assert found[item] == "not_met", item


def test_two_different_staff_send_an_eligible_application_to_review(
    open_call, applicant, officer, officer2
) -> None:
    app = complete(make_application(open_call, applicant.entity))
    eligibility.run_checks(officer, app)
    with pytest.raises(ValidationError) as excinfo:
        eligibility.confirm(officer, app)  # items still to decide
    assert "checks" in excinfo.value.message_dict
    decide_open_items(officer, app)
    eligibility.confirm(officer, app)
    with pytest.raises(PermissionDenied):
        eligibility.confirm(officer, app)  # the same person twice
    app.refresh_from_db()
    assert app.status == Application.Status.SUBMITTED
    eligibility.confirm(officer2, app)
    app.refresh_from_db()
    assert app.status == Application.Status.IN_REVIEW


def test_failing_application_is_marked_ineligible_with_the_reason(
    open_call, applicant, officer, officer2
) -> None:
    app = complete(make_application(open_call, applicant.entity))
    eligibility.run_checks(officer, app)
    decide_open_items(officer, app)
    check = EligibilityCheck.objects.get(application=app, item=Item.DECLARATION)
    eligibility.decide_item(officer, check, "not_met", "The declaration is not signed.")
    first = eligibility.confirm(officer, app)
    eligibility.confirm(officer2, app)
    app.refresh_from_db()
    assert app.status == Application.Status.INELIGIBLE
    assert "The declaration is not signed." in first.reason


def test_a_decision_after_a_confirmation_drops_it(open_call, applicant, officer, officer2) -> None:
    app = complete(make_application(open_call, applicant.entity))
    eligibility.run_checks(officer, app)
    decide_open_items(officer, app)
    eligibility.confirm(officer, app)
    check = EligibilityCheck.objects.get(application=app, item=Item.NO_CONFLICT)
    eligibility.decide_item(officer2, check, "met", "")
    eligibility.confirm(officer2, app)  # the first confirmation no longer counts
    app.refresh_from_db()
    assert app.status == Application.Status.SUBMITTED


def test_not_met_needs_a_reason_and_nothing_changes(open_call, applicant, officer) -> None:
    app = complete(make_application(open_call, applicant.entity))
    eligibility.run_checks(officer, app)
    check = EligibilityCheck.objects.get(application=app, item=Item.DECLARATION)
    with pytest.raises(ValidationError) as excinfo:
        eligibility.decide_item(officer, check, "not_met", "  ")
    assert "note" in excinfo.value.message_dict
    check.refresh_from_db()
    assert check.decision == ""


@pytest.mark.parametrize("who", ["reviewer", "viewer", "outsider", "beacon_admin"])
def test_only_programme_staff_run_the_checklist(open_call, applicant, cast, who) -> None:
    app = complete(make_application(open_call, applicant.entity))
    with pytest.raises(PermissionDenied):
        eligibility.run_checks(getattr(cast, who), app)
    with pytest.raises(PermissionDenied):
        eligibility.run_checks(applicant.user, app)
    assert not EligibilityCheck.objects.exists()


def test_a_draft_is_not_checked(open_call, applicant, officer) -> None:
    app = make_application(
        open_call, applicant.entity, status=Application.Status.DRAFT, submitted_at=None
    )
    with pytest.raises(ValidationError):
        eligibility.run_checks(officer, app)
    assert timezone.now()
