"""One query path: "my applications" (page and API) and the staff's list of a call (page and
API) return the same ids from ``search_applications``; their query counts do not grow with the
number of applications."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from justicework.grants.models import Application
from justicework.grants.queries_applications import Filters, search_applications
from tests.grants.conftest import make_applicant, make_application, make_call

URL = "/api/v1/grants/applications"


def _ids_on_page(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'href="/grants/applications/(\d+)/"', html)]


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_my_applications_one_path(programme, applicant, login, bearer) -> None:
    for _ in range(3):
        call = make_call(programme)
        make_application(call, applicant.entity, status=Application.Status.DRAFT)
    expected = list(
        search_applications(applicant.user, Filters(mine=True)).values_list("pk", flat=True)
    )
    page = login(applicant.user).get(reverse("grants:my_applications")).content.decode()
    assert _ids_on_page(page) == expected
    api = [row["id"] for row in bearer(applicant.user).get(URL).json()]
    assert api == expected and len(expected) == 3


def test_staff_list_one_path_and_constant_queries(open_call, applicant, cast, login) -> None:
    client = login(cast.officer)
    url = reverse("grants:call_applications", args=[open_call.pk])
    make_application(open_call, applicant.entity)
    one = _queries(client, url)
    for n in range(4):
        make_application(open_call, make_applicant(f"Partner {n}", country="GE").entity)
    make_application(open_call, applicant.entity, status=Application.Status.DRAFT,
                     submitted_at=None)  # fmt: skip
    assert _queries(client, url) == one
    expected = list(
        search_applications(
            cast.officer, Filters(call_id=open_call.pk, submitted=True)
        ).values_list("pk", flat=True)
    )
    assert _ids_on_page(client.get(url).content.decode()) == expected and len(expected) == 5
