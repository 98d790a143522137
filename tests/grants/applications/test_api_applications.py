"""``/api/v1/grants/applications``: the applicant's own applications (start, answers, budget
lines, currency, submit, withdraw) and the staff's list of a call's submitted applications;
422 naming the field, 404 for what is not yours."""

from __future__ import annotations

from justicework.grants.models import Application
from tests.grants.applications.conftest import complete

URL = "/api/v1/grants/applications"
JSON = "application/json"


def test_applicant_starts_answers_budgets_and_submits(open_call, applicant, bearer) -> None:
    client = bearer(applicant.user)
    body = {"call_id": open_call.pk, "title": "Our plan", "currency": "EUR"}
    response = client.post(URL, body, content_type=JSON)
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    answers = client.put(f"{URL}/{pk}/answers", {"answers": {"staff": "5"}}, content_type=JSON)
    assert answers.status_code == 200 and answers.json()["answers"] == {"staff": "5"}
    bad = client.put(f"{URL}/{pk}/answers", {"answers": {"staff": "five"}}, content_type=JSON)
    assert bad.status_code == 422 and "staff" in bad.content.decode()
    line = {"activity_type": "documentation", "cost_category": "staff", "amount": "8000.00"}
    added = client.post(f"{URL}/{pk}/budget-lines", line, content_type=JSON)
    assert added.status_code == 201, added.content
    wrong = client.post(
        f"{URL}/{pk}/budget-lines", line | {"activity_type": "catering"}, content_type=JSON
    )
    assert wrong.status_code == 422 and "activity_type" in wrong.content.decode()
    got = client.get(f"{URL}/{pk}").json()
    assert got["requested_amount"] == "8000.00" and len(got["budget_lines"]) == 1
    refused = client.post(f"{URL}/{pk}/submit")
    assert refused.status_code == 422 and "declaration of honour" in refused.content.decode()
    complete(Application.objects.get(pk=pk), applicant.user, amount="1000")
    done = client.post(f"{URL}/{pk}/submit")
    assert done.status_code == 200 and done.json()["status"] == "submitted"
    assert [row["id"] for row in client.get(URL).json()] == [pk]
    assert client.post(f"{URL}/{pk}/withdraw").json()["status"] == "withdrawn"


def test_currency_and_rate_through_patch(draft, applicant, bearer) -> None:
    client = bearer(applicant.user)
    body = {"title": "Renamed", "currency": "GEL"}
    missing = client.patch(f"{URL}/{draft.pk}", body, content_type=JSON)
    assert missing.status_code == 422 and "rate_date" in missing.content.decode()
    draft.refresh_from_db()
    assert draft.title != "Renamed" and draft.currency == "EUR"  # all of the patch or nothing
    body = {"currency": "UAH", "exchange_rate": "0.0225", "rate_date": "2026-11-30",
            "rate_source": "NBU"}  # fmt: skip
    response = client.patch(f"{URL}/{draft.pk}", body, content_type=JSON)
    assert response.status_code == 200, response.content
    assert response.json()["currency"] == "UAH"


def test_others_get_404_and_cannot_write(draft, applicant, other_applicant, cast, bearer) -> None:
    complete(draft, applicant.user)
    line = draft.budget_lines.get()
    for user in (other_applicant.user, cast.officer, cast.reviewer, cast.outsider):
        client = bearer(user)
        assert client.get(f"{URL}/{draft.pk}").status_code == 404
        put = client.put(
            f"{URL}/{draft.pk}/answers", {"answers": {"staff": "1"}}, content_type=JSON
        )
        assert put.status_code == 404
        assert client.delete(f"{URL}/{draft.pk}/budget-lines/{line.pk}").status_code == 404
        assert client.post(f"{URL}/{draft.pk}/withdraw").status_code == 404
        assert client.get(URL).json() == []
    body = {"call_id": draft.call_id, "legal_entity_id": applicant.entity.pk, "title": "Mine"}
    stolen = bearer(other_applicant.user).post(URL, body, content_type=JSON)
    assert stolen.status_code == 404
    assert Application.objects.count() == 1


def test_staff_list_a_calls_submitted_applications_only(draft, applicant, cast, bearer) -> None:
    listing = f"{URL}/calls/{draft.call_id}/submitted"
    assert bearer(cast.officer).get(listing).json() == []
    complete(draft, applicant.user)
    bearer(applicant.user).post(f"{URL}/{draft.pk}/submit")
    assert [row["id"] for row in bearer(cast.officer).get(listing).json()] == [draft.pk]
    assert bearer(cast.officer).get(f"{URL}/{draft.pk}").status_code == 200
    for user in (cast.reviewer, cast.viewer, cast.beacon_admin, cast.outsider, applicant.user):
        assert bearer(user).get(listing).status_code == 404, user
    # staff read it, so they are told why they may not withdraw it
    refused = bearer(cast.officer).post(f"{URL}/{draft.pk}/withdraw")
    assert refused.status_code == 403 and "applicant" in refused.content.decode()


def test_anonymous_is_refused(draft, client) -> None:
    assert client.get(URL).status_code == 401
    assert client.get(f"{URL}/{draft.pk}").status_code == 401
