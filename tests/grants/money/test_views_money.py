"""The award and report pages: staff see and act, the grantee sees their award, downloads the
agreement and writes reports; everyone else gets 404 (missing and not-yours alike)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from justicework.core.models import User
from justicework.grants import actions_money as money
from justicework.grants import actions_money_reports as reports
from justicework.grants.models import Award, GranteeReport, Payment

pytestmark = pytest.mark.django_db


def _report(officer: User, award: Award) -> GranteeReport:
    due = timezone.localdate() + dt.timedelta(days=10)
    return reports.schedule_report(officer, award, kind="financial", title="Q1", due_on=due)


def test_staff_page_shows_the_money_and_the_forms(
    login: Callable[[User], Client], officer: User, award: Award,
    django_assert_max_num_queries: Callable[[int], object],
) -> None:  # fmt: skip
    money.record_payment(officer, award, amount="1000", date=timezone.localdate(), reference="P1")
    client = login(officer)
    with django_assert_max_num_queries(30):  # type: ignore[attr-defined]
        response = client.get(reverse("grants:award_detail", args=[award.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "39000.00" in page and "Record a payment" in page and "P1" in page


def test_grantee_page_has_no_staff_forms_and_downloads_the_agreement(
    login: Callable[[User], Client], officer: User, award: Award, applicant: SimpleNamespace
) -> None:
    money.generate_agreement(officer, award)
    client = login(applicant.user)
    page = client.get(reverse("grants:award_detail", args=[award.pk])).content.decode()
    assert "Record a payment" not in page and "Download the agreement" in page
    response = client.get(reverse("grants:agreement_pdf", args=[award.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    refused = client.post(
        reverse("grants:payment_add", args=[award.pk]),
        {"payment-amount": "10", "payment-date": "2026-01-01", "payment-reference": "x"},
    )
    assert refused.status_code == 404 and not Payment.objects.exists()


@pytest.mark.parametrize("who", ["reviewer", "viewer", "beacon_officer", "other"])
def test_others_get_404_everywhere(
    who: str, login: Callable[[User], Client], officer: User, award: Award,
    other_applicant: SimpleNamespace, request: pytest.FixtureRequest,
) -> None:  # fmt: skip
    money.generate_agreement(officer, award)
    report = _report(officer, award)
    user = other_applicant.user if who == "other" else request.getfixturevalue(who)
    client = login(user)
    for name, pk in [("award_detail", award.pk), ("agreement_pdf", award.pk),
                     ("report_write", report.pk), ("report_review", report.pk)]:  # fmt: skip
        assert client.get(reverse(f"grants:{name}", args=[pk])).status_code == 404, name
    assert client.get(reverse("grants:award_detail", args=[999999])).status_code == 404
    for name, pk in [("tranche_add", award.pk), ("report_decide", report.pk)]:
        assert client.post(reverse(f"grants:{name}", args=[pk]), {}).status_code == 404
    assert (
        award.legal_entity.legal_name
        not in client.get(reverse("grants:award_list")).content.decode()
    )


def test_anonymous_is_sent_to_sign_in(client: Client, award: Award) -> None:
    response = client.get(reverse("grants:award_detail", args=[award.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_refused_payment_says_why_with_the_figures(
    login: Callable[[User], Client], officer: User, award: Award
) -> None:
    response = login(officer).post(
        reverse("grants:payment_add", args=[award.pk]),
        {"payment-amount": "40000.01", "payment-date": timezone.localdate().isoformat(),
         "payment-reference": "X"},
        follow=True,
    )  # fmt: skip
    assert "balance of 40,000.00 EUR" in response.content.decode()
    assert not Payment.objects.exists()


def test_grantee_writes_and_submits_on_the_page(
    login: Callable[[User], Client], officer: User, award: Award, applicant: SimpleNamespace
) -> None:
    report = _report(officer, award)
    line = award.application.budget_lines.first()
    client = login(applicant.user)
    form = {"narrative": "Done", f"spent-{line.pk}": "500", "r-0-indicator": "people_trained"}
    form |= {"r-0-value": "12", "r-0-unit": "people", "r-0-sex": "female", "step": "submit"}
    response = client.post(reverse("grants:report_write", args=[report.pk]), form)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted"
    assert report.results[0]["disaggregation"] == {"sex": "female"}
    bad = {**form, "r-0-value": "-3"}
    report.status = "returned"
    report.save()
    response = client.post(reverse("grants:report_write", args=[report.pk]), bad)
    assert response.status_code == 200 and "Result 1, value" in response.content.decode()
