"""A reviewer at phone width (360 px), in English and in Arabic (right to left), in a real
browser: declares no conflict for the call, opens the assigned application from the queue,
declares no conflict with it, scores each criterion with a comment and submits; no page is
wider than the screen."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from justicework.grants.models import Application
from justicework.grants.models.review import Assignment
from justicework.grants.models.review_scores import Review
from tests.grants.conftest import make_applicant, make_application, make_call
from tests.grants.review.conftest import member
from tests.violations.test_browser_phone import _too_wide, phone, pytestmark  # noqa: F401


def _sign_in(page: Any, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name='login']", email)
    page.fill("input[name='password']", password)
    page.locator("main form button[type='submit']").first.click()
    page.wait_for_url(f"{base}/")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_reviewer_declares_opens_and_scores_on_a_phone(
    phone: Any,  # noqa: F811 - the imported fixture, requested by name
    live_server: Any,
    cast: Any,
    language: str,
) -> None:
    from justicework.grants.models import Programme

    programme = Programme.objects.create(organisation=cast.acme, name="Fund", currency="EUR")
    call = make_call(programme, blind_review=True)
    entity = make_applicant("Kharkiv Women's Voices").entity
    app = make_application(
        call,
        entity,
        status=Application.Status.IN_REVIEW,
        answers={"summary": "توثيق مواقع الاحتجاز في المنطقة الشرقية " * 20, "staff": 4},
    )
    assignment = Assignment.objects.create(call=call, application=app, reviewer=cast.reviewer)
    member(cast.beacon, "spare@beacon.test", "reviewer")  # a reviewer elsewhere: not involved
    page = phone
    base = live_server.url
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    _sign_in(page, base, cast.reviewer.email, cast.password)

    page.goto(base + reverse("grants:review_assignment", args=[assignment.pk]))
    page.wait_for_url(f"**{reverse('grants:review_declare', args=[call.pk])}")
    page.click("#declare-none")
    page.wait_for_url(f"**{reverse('grants:review_queue')}")
    page.click(f"a[href='{reverse('grants:review_assignment', args=[assignment.pk])}']")
    assert page.locator("#blind").count() == 1
    assert "Kharkiv" not in page.content()
    page.locator("#conflict-form button[type='submit']").click()
    for code, score in (("relevance", "8"), ("capacity", "7"), ("women_led", "4")):
        page.fill(f"#score_{code}", score)
        page.fill(f"#comment_{code}", "واضح ومقنع" if language == "ar" else "Clear and convincing.")
    assert _too_wide(page, base, []) == []
    page.click("#submit-review")
    page.wait_for_selector("#submitted")
    review = Review.objects.get(assignment=assignment)
    assert review.submitted_at is not None and review.scores.count() == 3
    paths = [
        reverse("grants:review_queue"),
        reverse("grants:review_declare", args=[call.pk]),
        reverse("grants:review_assignment", args=[assignment.pk]),
    ]
    assert _too_wide(page, base, paths) == []
