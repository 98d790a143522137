"""The ranking's stored entries: written by the actions that change the scores (a review
submitted, a consolidation, the call's criteria changed), equal to a computation from scratch
after each of them; the ranking page reads them in queries that do not grow with the number of
applications, and ranks over every application whatever page is shown."""

from __future__ import annotations

import importlib
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.urls import reverse

from justicework.grants import actions_call_items, ranking, ranking_store
from justicework.grants.actions_review import conflicts, scoring
from justicework.grants.models import Application
from justicework.grants.models.review import Assignment
from justicework.grants.models.review_scores import RankingEntry
from justicework.grants.views import review_ranking
from tests.grants.conftest import make_applicant, make_application
from tests.grants.review.conftest import scores_for
from tests.grants.review.test_scoring_ranking import _reviewed, criteria

pytestmark = pytest.mark.django_db


def test_a_draft_review_stores_nothing_and_a_submitted_one_its_scores(assigned, reviewer) -> None:
    conflicts.declare_for_application(reviewer, assigned)
    scoring.save_review(reviewer, assigned, scores_for(assigned.call, 6), submit=False)
    assert not RankingEntry.objects.exists()
    scoring.save_review(reviewer, assigned, scores_for(assigned.call, 6), submit=True)
    entry = RankingEntry.objects.get(application=assigned.application)
    by_code = criteria(assigned.call)
    assert entry.source == "reviews" and entry.reviews == 1
    assert entry.scores[str(by_code["relevance"].pk)] == "6.00"
    assert entry.scores[str(by_code["women_led"].pk)] == "5.00"  # its maximum
    assert entry.total == Decimal("6") * 2 + 6 + 5
    assert ranking_store.stale(assigned.call_id) == []


def test_entries_follow_consolidation_and_criteria_changes(
    open_call, reviewer, reviewer2, officer
) -> None:
    high = _reviewed(open_call, [reviewer, reviewer2], [8, 6])
    low = _reviewed(open_call, [reviewer], [3])
    assert ranking_store.stale(open_call.pk) == []
    assert RankingEntry.objects.get(application=low).below == ["relevance"]
    by_code = criteria(open_call)
    given = {
        by_code["relevance"].pk: "2",
        by_code["capacity"].pk: "2",
        by_code["women_led"].pk: "2",
    }
    scoring.consolidate(officer, high, method="consensus", notes="Meeting.", scores=given)
    entry = RankingEntry.objects.get(application=high)
    assert entry.source == "consolidated" and entry.total == Decimal("8.00")
    assert entry.below_criterion and entry.below == ["relevance"]
    actions_call_items.update_item(
        officer, by_code["capacity"], weight=Decimal("3"), note="Capacity matters more."
    )
    assert RankingEntry.objects.get(application=high).total == Decimal("2") * 2 + 6 + 2
    actions_call_items.update_item(
        officer, by_code["relevance"], threshold=None, note="No threshold on relevance."
    )
    assert not RankingEntry.objects.filter(below_criterion=True).exists()
    assert ranking_store.stale(open_call.pk) == []


def test_stale_names_an_entry_changed_behind_the_actions(open_call, reviewer) -> None:
    app = _reviewed(open_call, [reviewer], [7])
    RankingEntry.objects.filter(application=app).update(total=Decimal("99"))
    assert ranking_store.stale(open_call.pk) == [app.pk]
    RankingEntry.objects.filter(application=app).delete()
    assert ranking_store.stale(open_call.pk) == [app.pk]


def test_the_migration_backfills_the_entries_of_existing_calls(
    open_call, reviewer, reviewer2
) -> None:
    _reviewed(open_call, [reviewer, reviewer2], [8, 6])
    _reviewed(open_call, [reviewer], [3])
    RankingEntry.objects.all().delete()
    migration = importlib.import_module("justicework.grants.migrations.0004_ranking_entries")

    class Editor:  # what the migration's function reads of its schema editor
        pass

    editor = Editor()
    editor.connection = connection  # type: ignore[attr-defined]
    migration.backfill(django_apps, editor)
    assert RankingEntry.objects.count() == 2 and ranking_store.stale(open_call.pk) == []


def test_ranking_rows_of_a_page_keep_the_rank_over_every_application(open_call, reviewer) -> None:
    apps = [_reviewed(open_call, [reviewer], [value]) for value in (2, 9, 5, 7)]
    unscored = make_application(
        open_call, make_applicant("Not yet").entity, status=Application.Status.IN_REVIEW
    )
    ordered = ranking.order(open_call)
    assert [k.application_id for k in ordered.keys] == [
        apps[1].pk,
        apps[3].pk,
        apps[2].pk,
        apps[0].pk,
        unscored.pk,
    ]
    second_page = ranking.rows(ordered, ordered.keys[2:4])
    assert [(r.application_id, r.rank) for r in second_page] == [(apps[2].pk, 3), (apps[0].pk, 4)]
    assert ordered.below == 1  # value 2: relevance below its threshold of 5
    whole = {r.application_id: r for r in ranking.build(open_call).rows}
    assert whole[unscored.pk].rank is None and whole[unscored.pk].source == ""
    assert [r.application_id for r in ranking.build(open_call, "-reviews").rows][-1] == unscored.pk


def _scored(call, reviewer, values) -> None:  # type: ignore[no-untyped-def]
    for value in values:
        app = make_application(
            call, make_applicant(f"Scored {value}").entity, status=Application.Status.IN_REVIEW
        )
        assignment = Assignment.objects.create(call=call, application=app, reviewer=reviewer)
        conflicts.declare_for_application(reviewer, assignment)
        scoring.save_review(reviewer, assignment, scores_for(call, 1 + value % 9), submit=True)


def test_ranking_page_queries_do_not_grow_with_scored_applications(
    open_call, officer, reviewer, login, monkeypatch, django_assert_max_num_queries
) -> None:
    """Pages of two rows: more scored applications (and more pages) cost no more queries, and
    the page shows its own rows with their rank over the whole call."""
    monkeypatch.setattr(review_ranking, "PER_PAGE", 2)
    conflicts.declare_for_call(reviewer, open_call, [])
    _scored(open_call, reviewer, [1, 2, 3])
    client = login(officer)
    url = reverse("grants:review_ranking", args=[open_call.pk])
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    _scored(open_call, reviewer, range(4, 16))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url + "?page=2")
    assert response.status_code == 200
    shown = [row for row, *_rest in response.context["rows"]]
    assert [row.rank for row in shown] == [3, 4]
    text = response.content.decode()
    assert "15 applications" in text and "Rows 3 to 4 shown" in text
