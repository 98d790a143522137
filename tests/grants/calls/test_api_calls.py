"""``/api/v1/grants/calls``: lists and details follow the policy (drafts for staff only);
staff create, update (logged after publication) and publish; others are refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from justicework.grants.models import Call, CallChange
from tests.grants.calls.conftest import call_fields

URL = "/api/v1/grants/calls"


def _json_fields(**overrides: Any) -> dict[str, Any]:
    fields = call_fields(**overrides)
    for name in ("budget", "amount_min", "amount_max", "opens_at", "closes_at"):
        fields[name] = (
            str(fields[name]) if name.startswith(("b", "a")) else fields[name].isoformat()
        )
    return fields


def test_lists_follow_the_policy(
    cast, open_call, draft_call, applicant, bearer: Callable[..., Client]
) -> None:
    staff = [c["id"] for c in bearer(cast.officer).get(URL).json()]
    assert sorted(staff) == sorted([open_call.pk, draft_call.pk])
    for user in (cast.reviewer, cast.outsider, applicant.user):
        listed = bearer(user, "read").get(URL).json()
        assert [c["id"] for c in listed] == [open_call.pk], user
        assert listed[0]["effective_status"] == "published"
        assert bearer(user, "read").get(f"{URL}/{draft_call.pk}").status_code == 404
    detail = bearer(applicant.user, "read").get(f"{URL}/{open_call.pk}").json()
    assert [c["code"] for c in detail["criteria"]] == ["relevance", "capacity", "women_led"]
    assert [q["code"] for q in detail["questions"]] == ["summary", "staff"]
    assert Client().get(URL).status_code == 401


def test_officer_creates_updates_and_publishes(
    cast, programme, bearer: Callable[..., Client]
) -> None:
    client = bearer(cast.officer)
    body = {"programme_id": programme.pk, **_json_fields()}
    response = client.post(URL, body, content_type="application/json")
    assert response.status_code == 201, response.content
    call_id = response.json()["id"]
    response = client.patch(
        f"{URL}/{call_id}",
        {"amount_note": "Lump sums", "amount_method": "unit_costs"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert Call.objects.get(pk=call_id).amount_method == "unit_costs"
    response = client.post(
        f"{URL}/{call_id}/status", {"status": "published"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert {d["loc"][-1] for d in response.json()["detail"]} == {"criteria", "questions"}


def test_update_after_publication_needs_a_reason(
    cast, open_call, bearer: Callable[..., Client]
) -> None:
    client = bearer(cast.officer)
    response = client.patch(
        f"{URL}/{open_call.pk}", {"amount_note": "Changed"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "note"]
    response = client.patch(
        f"{URL}/{open_call.pk}",
        {"amount_note": "Changed", "note": "Typo"},
        content_type="application/json",
    )
    assert response.status_code == 200
    change = CallChange.objects.get()
    assert (change.field, change.note) == ("amount_note", "Typo")
    detail = bearer(cast.viewer, "read").get(f"{URL}/{open_call.pk}").json()
    assert detail["changes"][0]["note"] == "Typo"
    body = {"status": "closed", "note": "Budget used"}
    response = client.post(f"{URL}/{open_call.pk}/status", body, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "closed"


def test_bad_input_is_a_422_naming_the_field(
    cast, programme, bearer: Callable[..., Client]
) -> None:
    client = bearer(cast.officer)
    body = {"programme_id": programme.pk, **_json_fields(time_zone="Nowhere/City")}
    response = client.post(URL, body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "time_zone"]
    body = {"programme_id": programme.pk, **_json_fields(), "amount_min": "-5"}
    response = client.post(URL, body, content_type="application/json")
    assert response.status_code == 422 and response.json()["detail"][0]["loc"][-1] == "amount_min"
    assert not Call.objects.exists()


def test_others_cannot_write(
    cast, programme, open_call, applicant, bearer: Callable[..., Client]
) -> None:
    body = {"programme_id": programme.pk, **_json_fields()}
    for user in (cast.reviewer, cast.viewer, cast.beacon_admin, applicant.user):
        client = bearer(user)
        assert client.post(URL, body, content_type="application/json").status_code == 404, user
        response = client.patch(
            f"{URL}/{open_call.pk}",
            {"amount_note": "x", "note": "y"},
            content_type="application/json",
        )
        assert response.status_code == 404
        response = client.post(
            f"{URL}/{open_call.pk}/status",
            {"status": "closed", "note": "y"},
            content_type="application/json",
        )
        assert response.status_code == 404
    assert Call.objects.count() == 1
    open_call.refresh_from_db()
    assert open_call.status == Call.Status.PUBLISHED and open_call.amount_note == ""
