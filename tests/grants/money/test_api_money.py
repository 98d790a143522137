"""The API of awards' money and reports: the same actions and policy as the pages; 422 naming
the field, 404 for what is not yours."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone

from justicework.core.models import User
from justicework.grants.models import Award, Payment

pytestmark = pytest.mark.django_db
AWARDS = "/api/v1/grants/awards"
REPORTS = "/api/v1/grants/reports"
JSON = "application/json"


def test_officer_runs_the_money_and_the_grantee_reports(
    bearer: Callable[[User], Client], officer: User, award: Award, applicant: SimpleNamespace
) -> None:
    staff, grantee = bearer(officer), bearer(applicant.user)
    today = timezone.localdate().isoformat()
    schedule = {"kind": "narrative", "title": "Q1", "due_on": today}
    report = staff.post(f"{AWARDS}/{award.pk}/reports", schedule, content_type=JSON)
    assert report.status_code == 201, report.content
    report_id = report.json()["id"]
    tranche = staff.post(f"{AWARDS}/{award.pk}/tranches",
                         {"amount": "5000", "condition": "report", "report_id": report_id},
                         content_type=JSON)  # fmt: skip
    assert tranche.status_code == 201 and tranche.json()["status"] == "pending"
    body = {"narrative": "Done", "results": [{"indicator": "a", "value": 1, "unit": "x"}]}
    assert grantee.put(f"{REPORTS}/{report_id}", body, content_type=JSON).status_code == 200
    assert grantee.post(f"{REPORTS}/{report_id}/submit").status_code == 200
    assert grantee.post(f"{REPORTS}/{report_id}/approve", {}, content_type=JSON).status_code == 404
    approved = staff.post(f"{REPORTS}/{report_id}/approve", {"comment": "ok"}, content_type=JSON)
    assert approved.json()["status"] == "approved"
    tranches = grantee.get(f"{AWARDS}/{award.pk}/tranches").json()
    assert tranches[0]["status"] == "due"
    paid = staff.post(f"{AWARDS}/{award.pk}/payments",
                      {"amount": "5000", "date": today, "reference": "SEPA",
                       "tranche_id": tranches[0]["id"]}, content_type=JSON)  # fmt: skip
    assert paid.status_code == 201, paid.content
    assert grantee.get(f"{AWARDS}/{award.pk}/balance").json()["balance"] == "35000.00"
    reduction = {"amount": "1000", "date": today, "reason": "Ineligible travel"}
    assert (
        staff.post(f"{AWARDS}/{award.pk}/reductions", reduction, content_type=JSON).status_code
        == 201
    )
    assert grantee.get(f"{AWARDS}/{award.pk}/reductions").json()[0]["reason"] == "Ineligible travel"
    assert grantee.get(f"{AWARDS}/{award.pk}/recoveries").json() == []


def test_a_payment_over_the_balance_is_a_422_naming_amount(
    bearer: Callable[[User], Client], officer: User, award: Award
) -> None:
    body = {"amount": "40000.01", "date": timezone.localdate().isoformat(), "reference": "R"}
    response = bearer(officer).post(f"{AWARDS}/{award.pk}/payments", body, content_type=JSON)
    assert response.status_code == 422 and "amount" in response.content.decode()
    assert not Payment.objects.exists()


@pytest.mark.parametrize("who", ["reviewer", "viewer", "beacon_officer", "other"])
def test_others_get_404(
    who: str, bearer: Callable[[User], Client], award: Award,
    other_applicant: SimpleNamespace, request: pytest.FixtureRequest,
) -> None:  # fmt: skip
    user = other_applicant.user if who == "other" else request.getfixturevalue(who)
    client = bearer(user)
    assert client.get(f"{AWARDS}/{award.pk}").status_code == 404
    assert client.get(f"{AWARDS}/{award.pk}/balance").status_code == 404
    assert client.get(AWARDS).json() == []
    body = {"amount": "1", "date": "2026-01-01", "reference": "R"}
    assert client.post(f"{AWARDS}/{award.pk}/payments", body, content_type=JSON).status_code == 404


def test_anonymous_is_refused(client: Client, award: Award) -> None:
    assert client.get(f"{AWARDS}/{award.pk}").status_code == 401
    assert client.get(f"{REPORTS}/results-schema").status_code == 401


def test_the_page_and_the_api_list_the_same_awards(
    bearer: Callable[[User], Client], officer: User, award: Award, applicant: SimpleNamespace,
    other_applicant: SimpleNamespace,
) -> None:  # fmt: skip
    from django.urls import reverse

    from justicework.grants.queries_money import awards_for
    from tests.grants.money.conftest import make_award

    other = make_award(award.call, other_applicant.entity)
    for user, expected in [(officer, {award.pk, other.pk}), (applicant.user, {award.pk})]:
        api = {row["id"] for row in bearer(user).get(AWARDS).json()}
        client = Client()
        client.force_login(user)
        page = client.get(reverse("grants:award_list")).context["awards"]
        assert api == {a.pk for a in page} == set(awards_for(user).values_list("pk", flat=True))
        assert api == expected
