"""Assigning reviewers: N per application, never a conflicted reviewer (a property over random
pools), the application's language, the load balanced, shortfalls reported with why; the
queries do not grow with the number of applications."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from justicework.core.roles import Role
from justicework.grants import assignment as assigning
from justicework.grants.actions_review import conflicts, profile
from justicework.grants.models import Application
from justicework.grants.models.review import Assignment
from tests.grants.conftest import make_applicant, make_application
from tests.grants.review.conftest import member


@st.composite
def pools(draw):  # type: ignore[no-untyped-def]
    reviewers = draw(st.integers(1, 12))
    entities = draw(st.integers(1, 15))
    languages = {
        r: frozenset(draw(st.sets(st.sampled_from(["en", "fr", "ar"]), min_size=1)))
        for r in range(1, reviewers + 1)
    }
    conflicts_ = set(
        draw(st.lists(st.tuples(st.integers(1, reviewers), st.integers(1, entities)), max_size=40))
    )
    apps = [
        assigning.Candidate(
            pk=n,
            reference=f"A{n}",
            language=draw(st.sampled_from(["en", "fr", "ar"])),
            entities=frozenset(draw(st.sets(st.integers(1, entities), min_size=1, max_size=3))),
        )
        for n in range(1, draw(st.integers(0, 30)) + 1)
    ]
    return apps, assigning.Pool(languages, conflicts_, {}, {}), draw(st.integers(1, 4))


@given(pools())
@settings(max_examples=200, deadline=None)
def test_plan_never_gives_a_conflicted_reviewer(case) -> None:  # type: ignore[no-untyped-def]
    apps, pool, per_application = case
    result = assigning.plan(apps, pool, per_application)
    by_pk = {a.pk: a for a in apps}
    for app_id, reviewer in result.pairs:
        app = by_pk[app_id]
        assert not any((reviewer, e) in pool.conflicts for e in app.entities)
        assert app.language in pool.languages[reviewer]
    assert len(set(result.pairs)) == len(result.pairs)  # nobody twice on one application
    counts = {a.pk: 0 for a in apps}
    for app_id, _r in result.pairs:
        counts[app_id] += 1
    short = {s.application_id for s in result.shortfalls}
    for app in apps:
        assert counts[app.pk] <= per_application
        assert (counts[app.pk] < per_application) == (app.pk in short)


@given(pools())
@settings(max_examples=200, deadline=None)
def test_shortfalls_count_the_conflicted_and_other_language_reviewers(case) -> None:  # type: ignore[no-untyped-def]
    """The counts a shortfall reports, against a count over every reviewer of the pool."""
    apps, pool, per_application = case
    by_pk = {a.pk: a for a in apps}
    for short in assigning.plan(apps, pool, per_application).shortfalls:
        app = by_pk[short.application_id]
        conflicted = {r for r, e in pool.conflicts if e in app.entities and r in pool.languages}
        other = {r for r, langs in pool.languages.items() if app.language not in langs}
        assert short.conflicted == len(conflicted)
        assert short.other_language == len(other - conflicted)
        assert short.got == per_application - max(
            0, per_application - (len(pool.languages) - len(conflicted | other))
        )


def test_load_is_balanced_without_constraints() -> None:
    apps = [assigning.Candidate(n, f"A{n}", "en", frozenset({n})) for n in range(1, 101)]
    pool = assigning.Pool({r: frozenset({"en"}) for r in range(1, 11)}, set(), {}, {})
    result = assigning.plan(apps, pool, 3)
    loads: dict[int, int] = {}
    for _a, r in result.pairs:
        loads[r] = loads.get(r, 0) + 1
    assert len(result.pairs) == 300 and max(loads.values()) - min(loads.values()) <= 1


def _reviewers(acme, count: int):  # type: ignore[no-untyped-def]
    return [member(acme, f"rev{n}@acme.test", Role.REVIEWER) for n in range(count)]


def test_run_assigns_n_per_application_and_reports_shortfalls(open_call, acme, officer) -> None:
    people = _reviewers(acme, 3)
    applicants = [make_applicant(f"Org {n}") for n in range(4)]
    apps = [
        make_application(open_call, a.entity, status=Application.Status.IN_REVIEW)
        for a in applicants
    ]
    arabic = make_application(
        open_call,
        make_applicant("Arabic org").entity,
        status=Application.Status.IN_REVIEW,
        language="ar",
    )
    conflicts.declare_for_call(people[0], open_call, [(applicants[0].entity, "financial", "")])
    profile.set_languages(people[1], ["en", "ar"])
    open_call.reviews_per_application = 2
    plan = assigning.run_assignment(officer, open_call)
    mine = Assignment.objects.filter(application=apps[0])
    assert people[0].pk not in set(mine.values_list("reviewer_id", flat=True))
    assert mine.count() == 2
    # only one reviewer reads Arabic (the cast's reviewer and the others default to English)
    short = {s.application_id: s for s in plan.shortfalls}
    assert set(short) == {arabic.pk}
    assert short[arabic.pk].got == 1 and short[arabic.pk].other_language >= 2
    # a second run tops up nothing more
    assert assigning.run_assignment(officer, open_call).pairs == []


def test_recused_reviewer_is_replaced_and_never_returns(
    open_call, acme, officer, applicant
) -> None:
    people = _reviewers(acme, 2)
    app = make_application(open_call, applicant.entity, status=Application.Status.IN_REVIEW)
    open_call.reviews_per_application = 1
    assigning.run_assignment(officer, open_call)
    first = Assignment.objects.get(application=app)
    conflicts.declare_for_call(first.reviewer, open_call, [])
    conflicts.declare_for_application(first.reviewer, first, "relationship", "")
    assigning.run_assignment(officer, open_call)
    active = Assignment.objects.filter(application=app, status="active")
    assert active.count() == 1 and active.get().reviewer_id != first.reviewer_id
    assert people


def test_run_queries_do_not_grow_with_applications(
    open_call, acme, officer, django_assert_max_num_queries
) -> None:
    _reviewers(acme, 4)
    for n in range(3):
        make_application(
            open_call, make_applicant(f"Small {n}").entity, status=Application.Status.IN_REVIEW
        )
    with django_assert_max_num_queries(40) as small:
        assigning.run_assignment(officer, open_call)
    Assignment.objects.all().delete()
    for n in range(30):
        make_application(
            open_call, make_applicant(f"Big {n}").entity, status=Application.Status.IN_REVIEW
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        assigning.run_assignment(officer, open_call)
    assert Assignment.objects.count() == 33 * 3


def test_manual_assignment_refuses_a_conflicted_reviewer(
    in_review, officer, reviewer, applicant
) -> None:
    conflicts.declare_for_call(reviewer, in_review.call, [(applicant.entity, "relationship", "")])
    with pytest.raises(ValidationError) as excinfo:
        assigning.assign(officer, in_review, reviewer)
    assert "reviewer" in excinfo.value.message_dict
    assert not Assignment.objects.exists()


def test_manual_assignment_and_removal(in_review, officer, reviewer, viewer) -> None:
    with pytest.raises(ValidationError):
        assigning.assign(officer, in_review, viewer)  # not a reviewer
    made = assigning.assign(officer, in_review, reviewer)
    with pytest.raises(ValidationError):
        assigning.assign(officer, in_review, reviewer)  # twice
    assigning.unassign(officer, made)
    assert not Assignment.objects.exists()


@pytest.mark.parametrize("who", ["reviewer", "viewer", "outsider", "beacon_admin"])
def test_only_programme_staff_assign(in_review, cast, who) -> None:
    with pytest.raises(PermissionDenied):
        assigning.run_assignment(getattr(cast, who), in_review.call)
    with pytest.raises(PermissionDenied):
        assigning.assign(getattr(cast, who), in_review, cast.reviewer)
    assert not Assignment.objects.exists()
