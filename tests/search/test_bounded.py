"""Bounded work for frequent words: totals exact up to ``SEARCH_COUNT_CAP``, facets among the
newest matches beyond it, relevance ranking among the newest ``SEARCH_RANK_WINDOW`` matches
the user may see (docs/search.md, "Frequent words")."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import override_settings

from justicework import search
from justicework.core import actions
from justicework.core.models import Organisation, User

pytestmark = pytest.mark.django_db


def estimate_queries() -> int:
    """PostgreSQL asks the planner how many documents match before ranking (one statement,
    ``PostgresBackend.recent_bounds``); SQLite's FTS5 walks its doclists newest first."""
    from justicework.search.backends import get_backend

    return 1 if get_backend().vendor == "postgresql" else 0


def make(name: str, kind: str = Organisation.Kind.LOCAL_PARTNER) -> Organisation:
    slug = f"org-{abs(hash(name)) % 10**9}"
    return actions.create_organisation(None, name=name, kind=kind, countries=["UA"], slug=slug)


def make_indexed(names: list[str], kind: str = Organisation.Kind.LOCAL_PARTNER) -> list[int]:
    orgs = [make(name, kind) for name in names]
    search.index(orgs)
    return [org.pk for org in orgs]


@override_settings(SEARCH_COUNT_CAP=5)
def test_total_is_exact_up_to_the_cap(cast: SimpleNamespace, superuser: User) -> None:
    make_indexed([f"Delta group {i}" for i in range(5)])
    result = search.query(superuser, Organisation, "delta", facets=["kind"])
    assert (result.total, result.total_is_exact, result.facets_are_sample) == (5, True, False)
    assert result.facets["kind"] == [("local_partner", 5)]
    assert len(result.objects) == 5
    assert result.next_cursor is None


@override_settings(SEARCH_COUNT_CAP=5)
def test_beyond_the_cap_facets_count_the_newest_matches(
    cast: SimpleNamespace, superuser: User
) -> None:
    # The two oldest matches are members, the five newest local partners: the facets count
    # exactly the five newest (the sixth, read to detect "more", is left out).
    make_indexed(["Delta old one", "Delta old two"], kind=Organisation.Kind.MEMBER)
    make_indexed([f"Delta new {i}" for i in range(5)])
    result = search.query(
        superuser, Organisation, "delta", facets=["kind", "memberships__role"], limit=3
    )
    assert (result.total, result.total_is_exact, result.facets_are_sample) == (5, False, True)
    assert result.facets["kind"] == [("local_partner", 5)]
    assert result.facets["memberships__role"] == [(None, 5)]
    # Pages go on beyond the capped total, through every match in the window.
    seen = [o.pk for o in result.objects]
    cursor = result.next_cursor
    while cursor is not None:
        page = search.query(superuser, Organisation, "delta", limit=3, cursor=cursor)
        seen += [o.pk for o in page.objects]
        cursor = page.next_cursor
    assert len(seen) == len(set(seen)) == 7


@override_settings(SEARCH_COUNT_CAP=5)
def test_the_cap_applies_to_text_queries_only(cast: SimpleNamespace, superuser: User) -> None:
    make_indexed([f"Delta group {i}" for i in range(7)])
    everything = search.query(superuser, Organisation, "", facets=["kind"])
    assert everything.total_is_exact
    assert everything.total == Organisation.objects.count() > 5
    by_date = search.query(superuser, Organisation, "delta", order_by=["-pk"], limit=50)
    assert not by_date.total_is_exact
    assert len(by_date.objects) == 7  # ordering by a field pages over every match


@override_settings(SEARCH_RANK_WINDOW=3)
def test_relevance_ranks_the_newest_matches_only(cast: SimpleNamespace, superuser: User) -> None:
    [best] = make_indexed(["Torture torture torture survivors"])
    newer = make_indexed([f"Torture project {i}" for i in range(4)])
    result = search.query(superuser, Organisation, "torture", limit=20)
    assert result.total == 5 and result.total_is_exact
    assert best not in [o.pk for o in result.objects]
    assert sorted(o.pk for o in result.objects) == sorted(newer[-3:])
    assert result.next_cursor is None
    # Pages stop at the window.
    first = search.query(superuser, Organisation, "torture", limit=2)
    second = search.query(superuser, Organisation, "torture", limit=2, cursor=first.next_cursor)
    assert len(first.objects) == 2 and len(second.objects) == 1
    assert second.next_cursor is None
    assert {o.pk for o in first.objects + second.objects} == set(newer[-3:])


@override_settings(SEARCH_RANK_WINDOW=3)
def test_the_best_match_wins_when_inside_the_window(cast: SimpleNamespace, superuser: User) -> None:
    make_indexed([f"Torture project {i}" for i in range(4)])
    [best] = make_indexed(["Torture torture torture survivors"])
    result = search.query(superuser, Organisation, "torture")
    assert result.objects[0].pk == best


@override_settings(SEARCH_RANK_WINDOW=2, SEARCH_COUNT_CAP=1)
def test_window_and_cap_are_among_visible_matches(
    cast: SimpleNamespace, beacon_admin: User, admin: User, outsider: User
) -> None:
    # Newer organisations that mention "beacon" and "acme", which beacon's administrator may not
    # manage: they are the newest matches, yet never shown, counted or allowed to push the
    # user's own record out of the window.
    make_indexed([f"Beacon branch {i}" for i in range(5)])
    make_indexed([f"Acme branch {i}" for i in range(5)])
    mine = search.query(beacon_admin, Organisation, "beacon", facets=["kind"], action="manage")
    assert [o.name for o in mine.objects] == ["Beacon Justice Centre"]
    assert (mine.total, mine.total_is_exact) == (1, True)
    assert mine.facets["kind"] == [("member", 1)]
    for user in (beacon_admin, outsider):
        acme = search.query(user, Organisation, "acme", facets=["kind"], action="manage")
        assert (acme.objects, acme.total, acme.facets["kind"]) == ([], 0, [])
    theirs = search.query(admin, Organisation, "acme", action="manage")
    assert [o.name for o in theirs.objects] == ["Acme Rights Watch"]


@override_settings(SEARCH_COUNT_CAP=5, SEARCH_RANK_WINDOW=4)
def test_query_count_is_unchanged_beyond_the_cap(
    cast: SimpleNamespace, superuser: User, django_assert_num_queries: object
) -> None:
    make_indexed([f"Delta group {i}" for i in range(12)])
    superuser.forget_memberships()
    superuser.active_memberships()
    with django_assert_num_queries(3 + estimate_queries()):  # type: ignore[operator]  # pytest-django fixture
        # total and facets in one GROUP BY, the ranked ids, the objects
        result = search.query(superuser, Organisation, "delta", facets=["kind"])
    assert not result.total_is_exact
    with django_assert_num_queries(4 + estimate_queries()):  # type: ignore[operator]  # pytest-django fixture
        # + one per facet across a relation
        search.query(superuser, Organisation, "delta", facets=["kind", "memberships__role"])


def test_filter_queryset_works_as_a_subquery(cast: SimpleNamespace) -> None:
    # On PostgreSQL the match is a correlated EXISTS on the outer primary key: it must follow
    # Django's relabelling of the tables when the queryset is nested in another query.
    from justicework.core.models import Membership

    search.index(Organisation.objects.all())
    acme = search.filter_queryset(Organisation.objects.all(), "acme")
    nested = Membership.objects.filter(organisation__in=acme.values("pk"))
    assert set(nested.values_list("organisation__name", flat=True)) == {"Acme Rights Watch"}
    outer = Organisation.objects.filter(pk__in=acme.values("pk")).filter(
        pk__in=search.filter_queryset(Organisation.objects.all(), "rights watch").values("pk")
    )
    assert [o.name for o in outer] == ["Acme Rights Watch"]


@override_settings(SEARCH_COUNT_CAP=3, SEARCH_RANK_WINDOW=5)
@pytest.mark.parametrize(("matches", "total", "exact"), [(0, 0, True), (3, 3, True), (4, 3, False)])
def test_without_facets_the_ranking_statement_gives_the_total(
    cast: SimpleNamespace,
    superuser: User,
    django_assert_num_queries: object,
    matches: int,
    total: int,
    exact: bool,
) -> None:
    make_indexed([f"Delta group {i}" for i in range(matches)])
    make_indexed(["Unrelated network"])
    superuser.forget_memberships()
    superuser.active_memberships()
    # The ranked ids with the window's size, then the objects (no match: then the count).
    with django_assert_num_queries(2 + estimate_queries()):  # type: ignore[operator]  # pytest-django fixture
        result = search.query(superuser, Organisation, "delta", limit=2)
    assert (result.total, result.total_is_exact) == (total, exact)
    counted = search.query(superuser, Organisation, "delta", facets=["kind"], limit=2)
    assert (counted.total, counted.total_is_exact) == (total, exact)
    # Past the window the page is empty and the total is counted.
    beyond = search.query(superuser, Organisation, "delta", offset=5)
    assert (beyond.objects, beyond.total, beyond.total_is_exact) == ([], total, exact)


@pytest.mark.postgres
@override_settings(SEARCH_RANK_WINDOW=5)
@pytest.mark.parametrize(
    ("filter_from", "sort_from", "how"),
    [(0.0, 0.0, "filter"), (2.0, 0.0, "sort"), (2.0, 2.0, "walk")],
)
def test_postgres_ranks_within_the_newest_documents_and_widens_when_they_hold_too_few(
    cast: SimpleNamespace,
    superuser: User,
    monkeypatch: pytest.MonkeyPatch,
    filter_from: float,
    sort_from: float,
    how: str,
) -> None:
    from django.db import connection

    from justicework.search.backends import postgres
    from justicework.search.registry import registration_for

    # 200 organisations say "delta" (equal ranks: ties break by newest).
    pks = make_indexed([f"Delta team {i}" for i in range(200)])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_document")
    superuser.forget_memberships()
    superuser.active_memberships()
    monkeypatch.setattr(postgres, "FILTER_FROM", filter_from)
    monkeypatch.setattr(postgres, "SORT_FROM", sort_from)
    backend = postgres.PostgresBackend()
    base = registration_for(Organisation).base
    terms = registration_for(Organisation).expand(search.parse_query("delta"))
    with connection.cursor() as cursor:
        bounds = backend.recent_bounds(cursor, terms, base, 5)
    # ~200 matches estimated, 40 windows: the newest MARGIN * 5 / 200 of the range, then all
    assert [b.low for b in bounds][1:] == [base] and bounds[0].low > base + min(pks)
    assert bounds[0].how == how
    narrowed = search.query(superuser, Organisation, "delta", limit=5)
    monkeypatch.setattr(postgres, "NARROW_FROM", 10**9)  # never narrow
    everything = search.query(superuser, Organisation, "delta", limit=5)
    assert [o.pk for o in narrowed.objects] == [o.pk for o in everything.objects]
    assert (narrowed.total, narrowed.total_is_exact) == (
        everything.total,
        everything.total_is_exact,
    )
    monkeypatch.setattr(postgres, "NARROW_FROM", 10)
    # Only the oldest 20 are visible through this filter: the recent range holds none of them,
    # so the statement runs again over every document and still finds the right five.
    oldest = search.query(superuser, Organisation, "delta", filters={"pk__in": pks[:20]})
    assert {o.pk for o in oldest.objects} <= set(pks[:20]) and len(oldest.objects) == 5
    assert [o.pk for o in oldest.objects] == sorted(pks[:20], reverse=True)[:5]  # ties: newest
    assert (oldest.total, oldest.total_is_exact) == (20, True)
