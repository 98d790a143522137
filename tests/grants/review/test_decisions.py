"""The decision: award within the call's amounts and under the maximum per third party across
the programme's calls (refused with the figures), reserve list, rejection; recorded once, the
database refusing any change."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction

from justicework.grants.actions_review import decisions
from justicework.grants.models import Application, Award
from justicework.grants.models.review_scores import Decision
from tests.grants.conftest import make_application, make_call


def award(officer, app, amount: str, **extra):  # type: ignore[no-untyped-def]
    return decisions.decide(
        officer,
        app,
        outcome="award",
        reasons="Strong local leadership.",
        amount=Decimal(amount),
        **extra,
    )


def test_award_creates_the_award_and_sets_the_status(in_review, officer) -> None:
    decision = award(officer, in_review, "20000", purpose="Documentation of detention sites")
    in_review.refresh_from_db()
    assert in_review.status == Application.Status.AWARDED
    made = Award.objects.get(application=in_review)
    assert made.amount == made.amount_programme == Decimal("20000.00")
    assert made.rate_to_programme == 1 and made.legal_entity_id == in_review.applicant_id
    assert decision.amount == Decimal("20000.00") and decision.currency == "EUR"


def test_reserve_and_reject_set_the_status_without_an_award(
    open_call, applicant, other_applicant, officer
) -> None:
    first = make_application(open_call, applicant.entity, status=Application.Status.IN_REVIEW)
    second = make_application(
        open_call, other_applicant.entity, status=Application.Status.IN_REVIEW
    )
    decisions.decide(officer, first, outcome="reserve", reasons="Good, after the funded ones.")
    decisions.decide(officer, second, outcome="reject", reasons="Below the threshold.")
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.status, second.status) == ("reserve", "rejected")
    assert not Award.objects.exists()


def test_amount_outside_the_call_is_refused_naming_the_field(in_review, officer) -> None:
    for amount in ("100", "70000"):
        with pytest.raises(ValidationError) as excinfo:
            award(officer, in_review, amount)
        assert "amount" in excinfo.value.message_dict
    assert not Decision.objects.exists() and not Award.objects.exists()


def test_reasons_are_required(in_review, officer) -> None:
    with pytest.raises(ValidationError) as excinfo:
        decisions.decide(officer, in_review, outcome="reject", reasons=" ")
    assert "reasons" in excinfo.value.message_dict


def test_cap_refused_across_two_calls_of_the_programme(programme, applicant, officer) -> None:
    first_call, second_call = make_call(programme), make_call(programme)
    first = make_application(first_call, applicant.entity, status=Application.Status.IN_REVIEW)
    second = make_application(second_call, applicant.entity, status=Application.Status.IN_REVIEW)
    award(officer, first, "45000")
    with pytest.raises(ValidationError) as excinfo:
        award(officer, second, "20000")
    message = excinfo.value.message_dict["amount"][0]
    for figure in ("45000.00", "20000.00", "60000.00", "EUR"):
        assert figure in message
    second.refresh_from_db()
    assert second.status == Application.Status.IN_REVIEW
    assert Award.objects.count() == 1
    award(officer, second, "15000")  # exactly up to the maximum is allowed
    assert Award.objects.count() == 2


def test_other_currency_needs_the_officers_rate(programme, applicant, officer) -> None:
    call = make_call(
        programme, currency="UAH", amount_min=Decimal("1000"), amount_max=Decimal("3000000")
    )
    app = make_application(call, applicant.entity, status=Application.Status.IN_REVIEW)
    with pytest.raises(ValidationError) as excinfo:
        award(officer, app, "1000000")
    assert "rate_to_programme" in excinfo.value.message_dict
    award(officer, app, "1000000", rate_to_programme=Decimal("0.022"))
    made = Award.objects.get(application=app)
    assert made.amount_programme == Decimal("22000.00") and made.currency == "UAH"


def test_decided_application_cannot_be_decided_again(in_review, officer) -> None:
    award(officer, in_review, "20000")
    with pytest.raises(ValidationError):
        decisions.decide(officer, in_review, outcome="reject", reasons="Changed our mind.")
    assert Decision.objects.get().outcome == "award"


def test_database_refuses_to_change_or_delete_a_decision(in_review, officer) -> None:
    award(officer, in_review, "20000")
    with pytest.raises(DatabaseError), transaction.atomic():
        Decision.objects.filter(application=in_review).update(outcome="reject")
    with pytest.raises(DatabaseError), transaction.atomic():
        Decision.objects.filter(application=in_review).delete()
    assert Decision.objects.get().outcome == "award"


@pytest.mark.parametrize("who", ["reviewer", "viewer", "outsider", "beacon_admin"])
def test_only_programme_staff_decide(in_review, cast, who) -> None:
    with pytest.raises(PermissionDenied):
        award(getattr(cast, who), in_review, "20000")
    assert not Decision.objects.exists()
