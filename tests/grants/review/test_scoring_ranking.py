"""Scores and the ranking: a review within each criterion's range with a comment, submitted
once; consolidation (average, consensus, moderator); weighted totals from the consolidated
scores or the reviews' average; thresholds per criterion and overall; flat queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from justicework.grants import ranking
from justicework.grants.actions_review import conflicts, scoring
from justicework.grants.models import Application, Criterion
from justicework.grants.models.review import Assignment
from justicework.grants.models.review_scores import ReviewScore
from tests.grants.conftest import make_applicant, make_application
from tests.grants.review.conftest import scores_for


def criteria(call) -> dict[str, Criterion]:  # type: ignore[no-untyped-def]
    return {c.code: c for c in scoring.scored_criteria(call.pk)}


def test_score_outside_the_range_or_without_comment_is_refused(assigned, reviewer) -> None:
    conflicts.declare_for_application(reviewer, assigned)
    by_code = criteria(assigned.call)
    bad = scores_for(assigned.call) | {by_code["women_led"].pk: (9, "Too high")}
    with pytest.raises(ValidationError) as excinfo:
        scoring.save_review(reviewer, assigned, bad, submit=True)
    assert "score_women_led" in excinfo.value.message_dict
    bare = scores_for(assigned.call, comment="")
    with pytest.raises(ValidationError) as excinfo:
        scoring.save_review(reviewer, assigned, bare, submit=True)
    assert "comment_relevance" in excinfo.value.message_dict
    assert not ReviewScore.objects.exists()


def test_draft_then_submit_then_no_more_changes(assigned, reviewer) -> None:
    conflicts.declare_for_application(reviewer, assigned)
    by_code = criteria(assigned.call)
    scoring.save_review(reviewer, assigned, {by_code["relevance"].pk: (6, "")}, submit=False)
    review = scoring.save_review(reviewer, assigned, scores_for(assigned.call), submit=True)
    assert review.submitted_at is not None and review.scores.count() == 3
    with pytest.raises(PermissionDenied):
        scoring.save_review(reviewer, assigned, scores_for(assigned.call, 2), submit=True)


def test_other_reviewer_and_staff_cannot_score_my_assignment(assigned, reviewer2, officer) -> None:
    for who in (reviewer2, officer):
        with pytest.raises(PermissionDenied):
            scoring.save_review(who, assigned, scores_for(assigned.call), submit=False)


def _reviewed(call, reviewers, values):  # type: ignore[no-untyped-def]
    """An application in review scored by each reviewer with the given values."""
    app = make_application(
        call,
        make_applicant(f"Org {len(values)} {values[0]}").entity,
        status=Application.Status.IN_REVIEW,
    )
    for who, value in zip(reviewers, values, strict=False):
        assignment = Assignment.objects.create(call=call, application=app, reviewer=who)
        if not conflicts.ConflictDeclaration.objects.filter(call=call, reviewer=who).exists():
            conflicts.declare_for_call(who, call, [])
        conflicts.declare_for_application(who, assignment)
        scoring.save_review(who, assignment, scores_for(call, value), submit=True)
    return app


def test_ranking_weighs_the_average_and_marks_thresholds(
    open_call, reviewer, reviewer2, officer
) -> None:
    high = _reviewed(open_call, [reviewer, reviewer2], [8, 6])  # relevance avg 7, women_led 5
    low = _reviewed(open_call, [reviewer], [3])
    result = ranking.build(open_call)
    rows = {r.application_id: r for r in result.rows}
    # relevance x2 + capacity x1 + women_led x1 (max 5)
    assert rows[high.pk].total == Decimal("7.00") * 2 + Decimal("7.00") + Decimal("5.00")
    assert rows[high.pk].rank == 1 and rows[low.pk].rank == 2
    assert rows[low.pk].below == ["relevance"]  # threshold 5 on relevance
    scoring.set_threshold(officer, open_call, "20")
    rows = {r.application_id: r for r in ranking.build(open_call).rows}
    assert "overall" in rows[low.pk].below and "overall" not in rows[high.pk].below


def test_consolidation_overrides_the_average(open_call, reviewer, officer) -> None:
    app = _reviewed(open_call, [reviewer], [4])
    by_code = criteria(open_call)
    with pytest.raises(ValidationError) as excinfo:
        scoring.consolidate(officer, app, method="moderator", scores={})
    assert "notes" in excinfo.value.message_dict
    given = {
        by_code["relevance"].pk: "9",
        by_code["capacity"].pk: "8",
        by_code["women_led"].pk: "5",
    }
    scoring.consolidate(
        officer, app, method="moderator", notes="The reviewer missed the annex.", scores=given
    )
    row = ranking.build(open_call).rows[0]
    assert row.source == "consolidated" and row.total == Decimal("31.00")
    scoring.consolidate(officer, app, method="average")
    assert ranking.build(open_call).rows[0].total == Decimal("4") * 2 + 4 + 4


def test_consolidation_refuses_out_of_range_scores(open_call, reviewer, officer) -> None:
    app = _reviewed(open_call, [reviewer], [4])
    by_code = criteria(open_call)
    given = {
        by_code["relevance"].pk: "11",
        by_code["capacity"].pk: "8",
        by_code["women_led"].pk: "5",
    }
    with pytest.raises(ValidationError) as excinfo:
        scoring.consolidate(
            officer, app, method="consensus", notes="Meeting of 3 May.", scores=given
        )
    assert "score_relevance" in excinfo.value.message_dict


def test_sorting(open_call, reviewer, reviewer2) -> None:
    a = _reviewed(open_call, [reviewer], [8])
    b = _reviewed(open_call, [reviewer], [2])
    assert [r.application_id for r in ranking.build(open_call, "rank").rows] == [a.pk, b.pk]
    assert [r.application_id for r in ranking.build(open_call, "-rank").rows] == [b.pk, a.pk]
    assert len(ranking.build(open_call, "nonsense").rows) == 2


def test_ranking_queries_are_flat(
    open_call, reviewer, reviewer2, django_assert_num_queries
) -> None:
    _reviewed(open_call, [reviewer], [5])
    ranking.build(open_call)
    with django_assert_num_queries(4):
        ranking.build(open_call)
    for value in (3, 6, 9):
        _reviewed(open_call, [reviewer, reviewer2], [value, value])
    with django_assert_num_queries(4):
        assert len(ranking.build(open_call).rows) == 4
