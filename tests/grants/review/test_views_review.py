"""The review pages: allow and deny for each (programme staff, the reviewer, another reviewer,
a conflicted reviewer, an officer of another organisation, the applicant, anonymous), blind
review hiding the applicant's identity, and the forms doing what they say."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from justicework.grants.actions_review import conflicts
from justicework.grants.models import Application, Attachment, Award
from justicework.grants.models.review import Assignment, ConflictDeclaration
from justicework.grants.models.review_scores import Decision, Review

STAFF_PAGES = [
    ("grants:review_eligibility", "call"),
    ("grants:review_assignments", "call"),
    ("grants:review_ranking", "call"),
    ("grants:review_eligibility_app", "app"),
    ("grants:review_consolidation", "app"),
    ("grants:review_decision", "app"),
]


def _url(name: str, kind: str, app: Application) -> str:
    return reverse(name, args=[app.call_id if kind == "call" else app.pk])


@pytest.mark.parametrize(("name", "kind"), STAFF_PAGES)
def test_staff_pages_open_for_the_programme_officer(name, kind, in_review, officer, login) -> None:
    assert login(officer).get(_url(name, kind, in_review)).status_code == 200


@pytest.mark.parametrize(("name", "kind"), STAFF_PAGES)
def test_staff_pages_are_404_for_everyone_else(
    name, kind, in_review, cast, beacon_officer, applicant, client, login
) -> None:
    url = _url(name, kind, in_review)
    assert client.get(url).status_code == 302  # anonymous: to the sign-in page
    for who in (cast.reviewer, cast.viewer, cast.outsider, beacon_officer, applicant.user):
        assert login(who).get(url).status_code == 404, who
        assert login(who).post(url, {"action": "run"}).status_code == 404, who


def test_missing_ids_are_404(officer, login) -> None:
    assert login(officer).get(reverse("grants:review_ranking", args=[999999])).status_code == 404
    assert login(officer).get(reverse("grants:review_decision", args=[999999])).status_code == 404


def test_reviewer_sees_only_their_assignments(assigned, reviewer, reviewer2, login) -> None:
    page = login(reviewer).get(reverse("grants:review_queue"))
    assert assigned.application.reference in page.content.decode()
    other = login(reviewer2).get(reverse("grants:review_queue"))
    assert assigned.application.reference not in other.content.decode()


def test_assignment_page_allows_only_its_reviewer(
    assigned, cast, reviewer2, beacon_officer, applicant, client, login
) -> None:
    url = reverse("grants:review_assignment", args=[assigned.pk])
    assert client.get(url).status_code == 302
    for who in (reviewer2, cast.officer, cast.outsider, beacon_officer, applicant.user):
        assert login(who).get(url).status_code == 404, who
    assert login(cast.reviewer).get(url).status_code == 200


def test_reviewer_is_sent_to_declare_before_opening(in_review, reviewer, login) -> None:
    assignment = Assignment.objects.create(
        call=in_review.call, application=in_review, reviewer=reviewer
    )
    response = login(reviewer).get(reverse("grants:review_assignment", args=[assignment.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("grants:review_declare", args=[in_review.call_id])


def test_conflicted_reviewer_can_never_open(assigned, reviewer, applicant, login) -> None:
    conflicts.declare_for_call(reviewer, assigned.call, [(applicant.entity, "relationship", "")])
    url = reverse("grants:review_assignment", args=[assigned.pk])
    assert login(reviewer).get(url).status_code == 404


def test_blind_review_hides_the_applicant(assigned, reviewer, applicant, login) -> None:
    Attachment.objects.create(
        application=assigned.application,
        kind="statutes",
        file_name="kharkiv-statutes.pdf",
        media_type="application/pdf",
        size=10,
        sha256="1" * 64,
    )
    url = reverse("grants:review_assignment", args=[assigned.pk])
    shown = login(reviewer).get(url).content.decode()
    assert applicant.entity.legal_name.replace("'", "&#x27;") in shown
    assert "kharkiv-statutes.pdf" in shown
    assigned.call.blind_review = True
    assigned.call.save()
    hidden = login(reviewer).get(url).content.decode()
    for secret in ("Kharkiv Women", applicant.entity.registration_number, "kharkiv-statutes.pdf"):
        assert secret not in hidden
    assert "Documentation of detention sites." in hidden


def test_reviewer_declares_then_scores_through_the_pages(assigned, reviewer, login) -> None:
    client = login(reviewer)
    url = reverse("grants:review_assignment", args=[assigned.pk])
    client.post(url, {"action": "declare", "conflict": "0"})
    body = {"action": "submit"}
    for code, top in (("relevance", 10), ("capacity", 10), ("women_led", 5)):
        body |= {f"score_{code}": str(top - 1), f"comment_{code}": "Convincing."}
    client.post(url, body)
    review = Review.objects.get(assignment=assigned)
    assert review.submitted_at is not None and review.scores.count() == 3


def test_bad_score_names_the_field_and_saves_nothing(assigned, reviewer, login) -> None:
    client = login(reviewer)
    url = reverse("grants:review_assignment", args=[assigned.pk])
    client.post(url, {"action": "declare", "conflict": "0"})
    response = client.post(url, {"action": "submit", "score_relevance": "42"}, follow=True)
    assert "score_relevance" in response.content.decode()
    assert not Review.objects.filter(submitted_at__isnull=False).exists()


def test_declaration_page_for_reviewers_only(
    in_review, cast, applicant, beacon_officer, client, login
) -> None:
    url = reverse("grants:review_declare", args=[in_review.call_id])
    assert client.get(url).status_code == 302
    for who in (cast.officer, cast.outsider, beacon_officer, applicant.user):
        assert login(who).get(url).status_code == 404, who
    page = login(cast.reviewer).get(url)
    assert page.status_code == 200 and applicant.entity.legal_name in page.content.decode().replace(
        "&#x27;", "'"
    )
    login(cast.reviewer).post(url, {"none": "1"})
    assert ConflictDeclaration.objects.filter(reviewer=cast.reviewer).exists()


def test_declaring_a_conflict_through_the_page(in_review, reviewer, applicant, login) -> None:
    url = reverse("grants:review_declare", args=[in_review.call_id])
    pk = applicant.entity.pk
    login(reviewer).post(
        url, {"none": "0", "entity": str(pk), f"kind_{pk}": "financial", f"note_{pk}": "Donor"}
    )
    declared = ConflictDeclaration.objects.get(reviewer=reviewer).conflicts.get()
    assert (declared.entity_id, declared.kind, declared.note) == (pk, "financial", "Donor")


def test_decision_form_awards_and_then_shows_it_read_only(in_review, officer, login) -> None:
    url = reverse("grants:review_decision", args=[in_review.pk])
    client = login(officer)
    client.post(url, {"outcome": "award", "reasons": "Well designed.", "amount": "20000"})
    assert Award.objects.get(application=in_review).amount == Decimal("20000.00")
    client.post(url, {"outcome": "reject", "reasons": "Changed our mind."})
    assert Decision.objects.get(application=in_review).outcome == "award"
    assert "cannot be changed" in client.get(url).content.decode()


def test_decision_over_the_cap_shows_the_figures(in_review, officer, login, applicant) -> None:
    from tests.grants.conftest import make_application

    earlier = make_application(
        in_review.call, applicant.entity, status=Application.Status.IN_REVIEW
    )
    client = login(officer)
    client.post(
        reverse("grants:review_decision", args=[earlier.pk]),
        {"outcome": "award", "reasons": "Good.", "amount": "50000"},
    )
    response = client.post(
        reverse("grants:review_decision", args=[in_review.pk]),
        {"outcome": "award", "reasons": "Good.", "amount": "20000"},
        follow=True,
    )
    text = response.content.decode()
    assert "50000.00" in text and "60000.00" in text
    assert not Decision.objects.filter(application=in_review).exists()


def test_assignment_page_runs_and_lists(in_review, officer, reviewer, login) -> None:
    url = reverse("grants:review_assignments", args=[in_review.call_id])
    login(officer).post(url, {"action": "run"})
    assert Assignment.objects.filter(application=in_review, reviewer=reviewer).exists()
    assert "reviewer@acme.test" in login(officer).get(url).content.decode()


def test_ranking_page_queries_are_flat(
    open_call, officer, login, django_assert_max_num_queries
) -> None:
    from tests.grants.conftest import make_applicant, make_application

    client = login(officer)
    url = reverse("grants:review_ranking", args=[open_call.pk])
    make_application(open_call, make_applicant("First").entity, status=Application.Status.IN_REVIEW)
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for n in range(15):
        make_application(
            open_call, make_applicant(f"More {n}").entity, status=Application.Status.IN_REVIEW
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
