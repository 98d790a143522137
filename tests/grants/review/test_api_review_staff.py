"""``/api/v1/grants/review``: the staff's eligibility checklist and consolidation through the
API: the same actions as the pages, 422 naming the field, allow and deny, query counts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from justicework.core.roles import Role
from justicework.grants.actions_review import conflicts, scoring
from justicework.grants.models import Application
from justicework.grants.models.review import Assignment, EligibilityCheck, EligibilityConfirmation
from justicework.grants.models.review_scores import Consolidation
from tests.grants.conftest import make_application
from tests.grants.review.conftest import member, scores_for
from tests.grants.review.test_eligibility import complete

URL = "/api/v1/grants/review"
JSON = "application/json"
pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(open_call, applicant) -> Application:  # type: ignore[no-untyped-def]
    return complete(make_application(open_call, applicant.entity))


def _locs(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [d["loc"] for d in response.json()["detail"]]


def test_staff_run_decide_and_two_people_confirm(
    submitted, officer, officer2, applicant, bearer, django_capture_on_commit_callbacks
) -> None:
    base = f"{URL}/applications/{submitted.pk}/eligibility"
    client = bearer(officer)
    ran = client.post(f"{base}/run")
    assert ran.status_code == 200, ran.content
    open_items = {c["item"]: c["id"] for c in ran.json()["checks"] if c["result"] == "unknown"}
    assert sorted(open_items) == ["declaration", "no_conflict"]
    for check_id in open_items.values():
        done = client.put(
            f"{URL}/eligibility-checks/{check_id}", {"result": "met", "note": "Checked."},
            content_type=JSON,
        )  # fmt: skip
        assert done.status_code == 200 and done.json()["decision"] == "met", done.content
    first = client.post(f"{base}/confirm")
    assert first.status_code == 201 and first.json()["status"] == "submitted"
    again = client.post(f"{base}/confirm")  # the same person cannot be the second
    assert again.status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        second = bearer(officer2).post(f"{base}/confirm")
    assert second.status_code == 201 and second.json()["status"] == "in_review"
    assert [c["outcome"] for c in second.json()["confirmations"]] == ["eligible", "eligible"]
    assert [m.to for m in mail.outbox] == [[applicant.user.email]]  # told, as from the page
    read = client.get(base).json()
    assert {c["item"]: c["result"] for c in read["checks"]}["declaration"] == "met"


def test_bad_eligibility_input_is_422_naming_the_field_and_changes_nothing(
    submitted, officer, bearer
) -> None:
    base = f"{URL}/applications/{submitted.pk}/eligibility"
    client = bearer(officer)
    client.post(f"{base}/run")
    check = EligibilityCheck.objects.get(application=submitted, item="declaration")
    url = f"{URL}/eligibility-checks/{check.pk}"
    wrong = client.put(url, {"result": "maybe"}, content_type=JSON)
    assert wrong.status_code == 422 and ["body", "payload", "result"] in _locs(wrong)
    no_reason = client.put(url, {"result": "not_met", "note": " "}, content_type=JSON)
    assert no_reason.status_code == 422 and ["body", "note"] in _locs(no_reason)
    too_long = client.put(url, {"result": "not_met", "note": "x" * 5001}, content_type=JSON)
    assert too_long.status_code == 422 and ["body", "payload", "note"] in _locs(too_long)
    assert client.put(f"{URL}/eligibility-checks/987654", {"result": "met"},
                      content_type=JSON).status_code == 404  # fmt: skip
    assert not EligibilityCheck.objects.filter(application=submitted).exclude(decision="").exists()
    undecided = client.post(f"{base}/confirm")
    assert undecided.status_code == 422 and ["body", "checks"] in _locs(undecided)
    assert not EligibilityConfirmation.objects.exists()


@pytest.fixture
def strangers(beacon, reviewer, applicant, beacon_officer):  # type: ignore[no-untyped-def]
    """A reviewer of the call's own programme, a reviewer and a programme officer of another
    organisation, the applicant itself: none is the programme's staff."""
    beacon_reviewer = member(beacon, "reviewer@beacon.test", Role.REVIEWER)
    return [reviewer, beacon_reviewer, beacon_officer, applicant.user]


def _declaration(app: Application) -> int:
    check = EligibilityCheck.objects.filter(application=app, item="declaration").first()
    return check.pk if check is not None else 987654


def _staff_requests(app: Application) -> list[tuple[str, str, dict[str, object] | None]]:
    base = f"{URL}/applications/{app.pk}"
    return [
        ("get", f"{URL}/calls/{app.call_id}/eligibility", None),
        ("get", f"{base}/eligibility", None),
        ("post", f"{base}/eligibility/run", None),
        ("put", f"{URL}/eligibility-checks/{_declaration(app)}", {"result": "met", "note": ""}),
        ("post", f"{base}/eligibility/confirm", None),
        ("get", f"{base}/consolidation", None),
        ("put", f"{base}/consolidation", {"method": "average"}),
    ]


def test_nobody_but_the_programme_staff_reads_or_writes(
    submitted, in_review, officer, strangers, bearer
) -> None:
    bearer(officer).post(f"{URL}/applications/{submitted.pk}/eligibility/run")
    for app in (submitted, in_review):
        for method, url, body in _staff_requests(app):
            for who in strangers:
                response = getattr(bearer(who), method)(url, body or {}, content_type=JSON)
                assert response.status_code == 404, (who.email, method, url)
            anonymous = getattr(Client(), method)(url, body or {}, content_type=JSON)
            assert anonymous.status_code == 401, (method, url)
    assert not EligibilityCheck.objects.exclude(decision="").exists()
    assert not Consolidation.objects.exists()
    assert bearer(officer).get(f"{URL}/applications/{submitted.pk}/eligibility").status_code == 200


def _review(app: Application, who) -> None:  # type: ignore[no-untyped-def]
    conflicts.declare_for_call(who, app.call, [])
    assignment = Assignment.objects.create(call=app.call, application=app, reviewer=who)
    conflicts.declare_for_application(who, assignment, "", "")
    scoring.save_review(who, assignment, scores_for(app.call, 6), submit=True)


def test_consolidation_read_and_the_moderators_final_score(
    in_review, reviewer, officer, bearer, login
) -> None:
    _review(in_review, reviewer)
    url = f"{URL}/applications/{in_review.pk}/consolidation"
    client = bearer(officer)
    shown = client.get(url).json()
    assert shown["method"] is None
    assert {c["criterion"]: c["average"] for c in shown["criteria"]}["relevance"] == "6.00"
    assert shown["reviews"][0]["submitted"] and shown["reviews"][0]["scores"]["relevance"] == 6
    final = {"relevance": "8.5", "capacity": "7", "women_led": "4"}
    done = client.put(
        url,
        {"method": "moderator", "notes": "Moderated: strong field presence.", "scores": final},
        content_type=JSON,
    )
    assert done.status_code == 200, done.content
    kept = {c["criterion"]: Decimal(c["consolidated"]) for c in done.json()["criteria"]}
    assert kept == {k: Decimal(v) for k, v in final.items()}
    assert done.json()["notes"] == "Moderated: strong field presence."
    page = login(officer).get(reverse("grants:review_consolidation", args=[in_review.pk]))
    assert "Moderated: strong field presence." in page.content.decode()  # the same record


def test_bad_consolidation_is_422_naming_the_field_and_changes_nothing(
    in_review, reviewer, officer, bearer
) -> None:
    _review(in_review, reviewer)
    url = f"{URL}/applications/{in_review.pk}/consolidation"
    client = bearer(officer)
    scores = {"relevance": "8", "capacity": "7", "women_led": "4"}
    cases = [
        ({"method": "moderator", "scores": scores}, ["body", "notes"]),
        ({"method": "vote", "notes": "x"}, ["body", "payload", "method"]),
        ({"method": "consensus", "notes": "Met.", "scores": scores | {"impact": "3"}},
         ["body", "scores"]),
        ({"method": "consensus", "notes": "Met.", "scores": scores | {"women_led": "9"}},
         ["body", "score_women_led"]),
        ({"method": "consensus", "notes": "Met.", "scores": scores | {"capacity": "many"}},
         ["body", "payload", "scores", "capacity"]),
    ]  # fmt: skip
    for body, loc in cases:
        response = client.put(url, body, content_type=JSON)
        assert response.status_code == 422 and loc in _locs(response), (body, response.content)
    assert not Consolidation.objects.exists()


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_eligibility_list_and_the_consolidation_take_fixed_queries(
    open_call, applicant, other_applicant, officer, reviewer, reviewer2, bearer,
    django_assert_num_queries,
) -> None:  # fmt: skip
    client = bearer(officer)
    list_url = f"{URL}/calls/{open_call.pk}/eligibility"
    make_application(open_call, applicant.entity)
    _count(client, list_url)  # the token's first use is remembered: count from the second
    few = _count(client, list_url)
    for _ in range(4):
        make_application(open_call, other_applicant.entity)
    assert _count(client, list_url) == few
    app = make_application(open_call, applicant.entity, status="in_review")
    url = f"{URL}/applications/{app.pk}/consolidation"
    _review(app, reviewer)
    one = _count(client, url)
    _review(app, reviewer2)
    assert _count(client, url) == one
    with django_assert_num_queries(one):
        client.get(url)


def test_the_api_offers_the_consolidation_methods_of_the_model() -> None:
    from typing import get_args

    from justicework.grants.api_review_staff import MethodName

    assert list(get_args(MethodName)) == list(Consolidation.Method.values)
    schema = Client().get("/api/v1/openapi.json").json()
    body = schema["components"]["schemas"]["ConsolidationIn"]["properties"]["method"]
    assert body.get("enum") == list(Consolidation.Method.values), body
