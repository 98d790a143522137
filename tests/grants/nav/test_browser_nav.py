"""The grants pages the header links lead to, at phone width (360 px), in English and in
Arabic (right to left), in a real browser: a programme officer's and a grantee's links, each
page no wider than the screen, the header's links included."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from justicework.grants import actions_applications
from tests.grants.conftest import make_applicant, make_application, make_call
from tests.grants.money.conftest import make_award
from tests.grants.review.test_browser_review import _sign_in
from tests.violations.test_browser_phone import _too_wide, phone, pytestmark  # noqa: F401


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_linked_pages_fit_a_phone(
    phone: Any,  # noqa: F811 - the imported fixture, requested by name
    live_server: Any,
    cast: Any,
    language: str,
) -> None:
    from justicework.grants.models import Programme

    programme = Programme.objects.create(organisation=cast.acme, name="Fund", currency="EUR")
    call = make_call(programme)
    grantee = make_applicant("Kharkiv Women's Voices")
    grantee.user.set_password(cast.password)
    grantee.user.save()
    award = make_award(call, grantee.entity)
    actions_applications.notify_status(award.application)  # a notice on the page
    make_application(call, make_applicant("Tbilisi Survivors Network", "GE").entity)
    page = phone
    base = live_server.url
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    for user, names in [
        (cast.officer, ["review_desk", "award_list", "report_review_list", "dashboard_index"]),
        (grantee.user, ["my_applications", "award_list", "published_awards"]),
    ]:
        page.context.clear_cookies()
        page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
        _sign_in(page, base, user.email, cast.password)
        for name in names:  # the link is in the header
            assert page.locator(f".site-nav a[href='{reverse('grants:' + name)}']").count() == 1
        paths = [reverse(f"grants:{name}") for name in names]
        if user == grantee.user:
            paths.append(reverse("grants:application_detail", args=[award.application.pk]))
        assert _too_wide(page, base, paths) == []
