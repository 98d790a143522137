"""/api/v1/law/qualifications/: suggestions (one violation, a set), decisions and their list,
for the organisation's admins and legal analysts only."""

from __future__ import annotations

import pytest

from justicework.law.models import Qualification

BASE = "/api/v1/law/qualifications"
BODY = {"decision": "accept", "crime_id": "8(2)(a)(i)", "note": "The victims were civilians."}


@pytest.mark.parametrize("who", ["analyst", "admin"])
def test_suggestions_for_one_violation(cast, world, bearer, who) -> None:
    response = bearer(getattr(cast, who)).get(f"{BASE}/violations/{world.killing.pk}/suggestions")
    assert response.status_code == 200
    body = response.json()
    assert body["pattern_count"] == 3
    first = body["suggestions"][0]
    assert first["context_fit"] == "fits" and first["reasons"] and first["elements_to_establish"]
    assert "8(2)(c)(i)-1" in {e["crime_id"] for e in body["excluded"]}


@pytest.mark.parametrize(
    ("who", "status"),
    [("documenter", 403), ("viewer", 403), ("outsider", 404), ("beacon_admin", 404)],
)
def test_others_get_no_suggestions(cast, world, bearer, who, status) -> None:
    response = bearer(getattr(cast, who)).get(f"{BASE}/violations/{world.killing.pk}/suggestions")
    assert response.status_code == status


def test_a_set_leaves_out_what_the_caller_may_not_qualify(cast, world, bearer) -> None:
    ids = [world.killing.pk, world.rape.pk, world.theirs.pk]
    query = "&".join(f"violation_ids={pk}" for pk in ids)
    response = bearer(cast.analyst).get(f"{BASE}/suggestions?{query}")
    assert response.status_code == 200
    assert [r["violation_id"] for r in response.json()] == sorted([world.killing.pk, world.rape.pk])
    assert bearer(cast.documenter).get(f"{BASE}/suggestions?{query}").json() == []


def test_a_set_needs_at_least_one_id(cast, bearer) -> None:
    assert bearer(cast.analyst).get(f"{BASE}/suggestions").status_code == 422


def test_an_analyst_decides_and_lists_the_decisions(cast, world, bearer) -> None:
    client = bearer(cast.analyst, "write")
    response = client.post(
        f"{BASE}/violations/{world.killing.pk}", BODY, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["status"] == "accepted"
    listed = client.get(f"{BASE}/violations/{world.killing.pk}").json()
    assert [(q["crime_id"], q["analyst_id"]) for q in listed] == [("8(2)(a)(i)", cast.analyst.pk)]


def test_a_bad_decision_is_a_422_naming_the_field(cast, world, bearer) -> None:
    client = bearer(cast.analyst, "write")
    response = client.post(f"{BASE}/violations/{world.killing.pk}", {**BODY, "crime_id": "8(2)(z)"},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 422
    assert "crime_id" in str(response.json()["detail"])
    response = client.post(f"{BASE}/violations/{world.killing.pk}", {**BODY, "decision": "maybe"},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 422
    assert not Qualification.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"), [("documenter", 403), ("viewer", 403), ("outsider", 404)]
)
def test_others_may_not_decide_or_list(cast, world, bearer, who, status) -> None:
    client = bearer(getattr(cast, who), "write")
    url = f"{BASE}/violations/{world.killing.pk}"
    assert client.post(url, BODY, content_type="application/json").status_code == status
    assert client.get(url).status_code == status
    assert not Qualification.objects.exists()


def test_a_read_token_cannot_decide(cast, world, bearer) -> None:
    response = bearer(cast.analyst, "read").post(
        f"{BASE}/violations/{world.killing.pk}", BODY, content_type="application/json"
    )
    assert response.status_code == 403
    assert not Qualification.objects.exists()
