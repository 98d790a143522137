"""The query layer: facts and the pattern read from the records the user may see, in a number
of queries that does not grow with the violations asked about."""

from __future__ import annotations

from django.test import override_settings

from justicework.law.qualification_queries import suggestions_for
from justicework.violations.models import Violation


def test_the_pattern_counts_the_units_repeated_acts(cast, world) -> None:
    (result,) = suggestions_for(cast.analyst, Violation.objects.filter(pk=world.killing.pk))
    # three repeats nearby; not the other unit, the other act, the late one or the one abroad
    assert result.pattern_count == 3
    cah = next(s for s in result.suggestions if s.crime_id == "7(1)(a)")
    assert any("3 other incidents" in reason for reason in cah.reasons)


@override_settings(LAW_PATTERN_THRESHOLD=4)
def test_the_threshold_is_a_setting(cast, world) -> None:
    (result,) = suggestions_for(cast.analyst, Violation.objects.filter(pk=world.killing.pk))
    cah = next(s for s in result.suggestions if s.crime_id == "7(1)(a)")
    assert result.pattern_count == 3
    assert not any("other incidents" in reason for reason in cah.reasons)


@override_settings(LAW_PATTERN_WINDOW_DAYS=10)
def test_the_window_is_a_setting(cast, world) -> None:
    (result,) = suggestions_for(cast.analyst, Violation.objects.filter(pk=world.killing.pk))
    assert result.pattern_count == 1


def test_the_context_comes_from_the_incident(cast, world) -> None:
    pks = [world.killing.pk, world.niac_killing.pk, world.rape.pk]
    results = {
        r.violation_id: r
        for r in suggestions_for(cast.analyst, Violation.objects.filter(pk__in=pks))
    }
    assert "8(2)(a)(i)" in [s.crime_id for s in results[world.killing.pk].suggestions]
    assert "8(2)(c)(i)-1" in [s.crime_id for s in results[world.niac_killing.pk].suggestions]
    assert {
        s.context_fit for s in results[world.rape.pk].suggestions if s.category == "war_crimes"
    } == {"open"}


def test_a_pattern_only_counts_what_the_user_may_see(cast, world) -> None:
    (result,) = suggestions_for(cast.loner, Violation.objects.filter(pk=world.killing.pk))
    assert result.pattern_count == 0


def test_query_count_does_not_grow_with_the_violations(
    cast, world, django_assert_num_queries
) -> None:
    cast.analyst.active_memberships()  # the policy's memberships, read once per request
    one = Violation.objects.filter(pk=world.killing.pk)
    many = Violation.objects.filter(
        pk__in=[world.killing.pk, *(v.pk for v in world.repeats), world.rape.pk]
    )
    suggestions_for(cast.analyst, one)  # the user's grants, cached on the user
    with django_assert_num_queries(3):  # violations, their units, the pattern
        suggestions_for(cast.analyst, one)
    with django_assert_num_queries(3):
        assert len(suggestions_for(cast.analyst, many)) == 5
