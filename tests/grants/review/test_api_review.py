"""``/api/v1/grants/review``: allow and deny for each endpoint."""

from __future__ import annotations

from django.test import Client

from justicework.grants.models import Award
from justicework.grants.models.review import Assignment, ConflictDeclaration
from justicework.grants.models.review_scores import Review

URL = "/api/v1/grants/review"
JSON = "application/json"


def test_queue_lists_only_my_assignments(assigned, reviewer, reviewer2, bearer) -> None:
    mine = bearer(reviewer).get(f"{URL}/queue").json()
    assert [a["id"] for a in mine] == [assigned.pk] and mine[0]["declared_for_call"]
    assert bearer(reviewer2).get(f"{URL}/queue").json() == []
    assert Client().get(f"{URL}/queue").status_code == 401


def test_application_is_blind_when_the_call_says_so(
    assigned, reviewer, reviewer2, officer, bearer
) -> None:
    url = f"{URL}/assignments/{assigned.pk}/application"
    shown = bearer(reviewer).get(url).json()
    assert shown["identity"]["legal_name"] == assigned.application.applicant.legal_name
    assigned.call.blind_review = True
    assigned.call.save()
    hidden = bearer(reviewer).get(url).json()
    assert hidden["identity"] == {} and hidden["blind"] is True
    for who in (reviewer2, officer):
        assert bearer(who).get(url).status_code == 404


def test_declare_and_score(in_review, reviewer, applicant, bearer, outsider) -> None:
    client = bearer(reviewer)
    response = client.post(
        f"{URL}/calls/{in_review.call_id}/conflicts", {"conflicts": []}, content_type=JSON
    )
    assert response.status_code == 201, response.content
    assert (
        bearer(outsider)
        .post(f"{URL}/calls/{in_review.call_id}/conflicts", {"conflicts": []}, content_type=JSON)
        .status_code
        == 404
    )
    assignment = Assignment.objects.create(
        call=in_review.call, application=in_review, reviewer=reviewer
    )
    assert (
        client.post(
            f"{URL}/assignments/{assignment.pk}/declaration", {}, content_type=JSON
        ).status_code
        == 200
    )
    scores = [
        {"criterion": c, "score": 4, "comment": "Fine."}
        for c in ("relevance", "capacity", "women_led")
    ]
    response = client.post(
        f"{URL}/assignments/{assignment.pk}/review",
        {"scores": scores, "submit": True},
        content_type=JSON,
    )
    assert response.status_code == 200, response.content
    assert Review.objects.get(assignment=assignment).submitted_at is not None


def test_bad_score_is_a_422_naming_the_field(assigned, reviewer, bearer) -> None:
    client = bearer(reviewer)
    client.post(f"{URL}/assignments/{assigned.pk}/declaration", {}, content_type=JSON)
    scores = [{"criterion": "relevance", "score": 40, "comment": "Too high."}]
    response = client.post(
        f"{URL}/assignments/{assigned.pk}/review",
        {"scores": scores, "submit": False},
        content_type=JSON,
    )
    assert response.status_code == 422
    assert "score_relevance" in response.content.decode()


def test_conflict_declared_unknown_entity_is_404(in_review, reviewer, bearer) -> None:
    body = {"conflicts": [{"entity_id": 999999, "kind": "financial"}]}
    response = bearer(reviewer).post(
        f"{URL}/calls/{in_review.call_id}/conflicts", body, content_type=JSON
    )
    assert response.status_code == 404
    assert not ConflictDeclaration.objects.exists()


def test_staff_run_rank_and_decide(in_review, officer, reviewer, bearer, beacon_officer) -> None:
    client = bearer(officer)
    response = client.post(f"{URL}/calls/{in_review.call_id}/assignments/run")
    assert response.status_code == 200 and response.json()["assigned"] == 1
    ranked = client.get(f"{URL}/calls/{in_review.call_id}/ranking").json()
    assert [r["application_id"] for r in ranked] == [in_review.pk]
    body = {"outcome": "award", "reasons": "Strong.", "amount": "20000"}
    response = client.post(f"{URL}/applications/{in_review.pk}/decision", body, content_type=JSON)
    assert response.status_code == 201, response.content
    assert Award.objects.filter(application=in_review).exists()


def test_staff_endpoints_deny_others(
    in_review, reviewer, beacon_officer, applicant, bearer
) -> None:
    for who in (reviewer, beacon_officer, applicant.user):
        client = bearer(who)
        assert client.post(f"{URL}/calls/{in_review.call_id}/assignments/run").status_code == 404
        assert client.get(f"{URL}/calls/{in_review.call_id}/ranking").status_code == 404
        body = {"outcome": "reject", "reasons": "No."}
        assert (
            client.post(
                f"{URL}/applications/{in_review.pk}/decision", body, content_type=JSON
            ).status_code
            == 404
        )
    assert not Assignment.objects.exists()
