"""What each search backend's SQL does on its own database (the backend ``SEARCH_BACKEND``
names for the engine under test: SQLite FTS5 or PostgreSQL ``tsvector``): every word must
match, phrases and prefixes, folding, replacing and deleting documents, one model's row range
kept from another's, ranking, the newest-first window, user text that is data and never syntax."""

from __future__ import annotations

import pytest
from django.db import connection

from justicework.search.backends import get_backend
from justicework.search.registry import PK_LIMIT
from justicework.search.text import document_text, parse_query

pytestmark = pytest.mark.django_db


BASE = 7 * PK_LIMIT  # a row range no registered model uses in these tests
backend = get_backend()
#: Rows with the primary keys 1, 2 and 3, as a table on both engines.
CANDIDATES = "(SELECT 1 AS pk UNION ALL SELECT 2 UNION ALL SELECT 3) AS candidate"


def put(*rows: tuple[int, str], base: int = BASE) -> None:
    with connection.cursor() as cursor:
        backend.upsert(cursor, [(base + pk, document_text(text)) for pk, text in rows])


def found(query: str, base: int = BASE) -> list[int]:
    sql, params = backend.match_ids_sql(parse_query(query), base)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return sorted(row[0] for row in cursor.fetchall())


def test_every_word_must_match_and_results_are_primary_keys():
    put((1, "Shelling of the central market"), (2, "Market closed"), (3, "Shelling at night"))
    assert found("market") == [1, 2]
    assert found("shelling market") == [1]
    assert found("river") == []


def test_phrases_need_adjacent_words_and_prefixes_match_word_starts():
    put((1, "central market square"), (2, "market in the central district"))
    assert found('"central market"') == [1]
    assert found("cent*") == [1, 2]
    assert found('"central mark"*') == [1]


def test_matching_folds_case_accents_and_scripts_the_same_as_the_index():
    put((1, "Éléonore Ковалёва"), (2, "Eleonora"))
    assert found("eleonore") == [1]
    assert found("КОВАЛЕВА") == [1]


def test_upsert_replaces_a_documents_text():
    put((1, "first words"))
    put((1, "second words"))
    assert found("first") == []
    assert found("second") == [1]


def test_a_models_rows_are_kept_apart_from_another_models():
    put((1, "market"))
    put((1, "market"), (2, "market"), base=BASE + PK_LIMIT)
    assert found("market") == [1]
    assert found("market", base=BASE + PK_LIMIT) == [1, 2]


def test_delete_and_delete_range_remove_only_the_named_rows():
    put(*[(pk, "market") for pk in range(1, 8)])
    with connection.cursor() as cursor:
        backend.delete(cursor, [BASE + 1, BASE + 2])
        backend.delete_range(cursor, BASE + 5, BASE + 6)
    assert found("market") == [3, 4, 7]


def test_a_quote_in_the_query_is_data_not_syntax():
    put((1, "O'Brien street"), (2, "Brien"))
    assert found("o'brien") == [1]
    assert found("'); DROP TABLE search_document; --") == []
    assert found("brien") == [1, 2]


@pytest.mark.parametrize(
    "text", ["a & b", "!x", "x:*", "(a", "a <-> b", "NEAR(a x)", '"a', "a OR x"]
)
def test_any_typed_syntax_runs_as_a_query_without_a_database_error(text):
    # (Text without any word has no terms: callers search for nothing then, see test_search.)
    put((1, "a b x"))
    assert found(text) in ([], [1])


def test_the_rank_is_higher_for_a_document_where_the_words_weigh_more():
    put((1, "market"), (2, "market market market report"), (3, "river"))
    sql, params = backend.rank_sql(parse_query("market"), BASE, "candidate.pk")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT candidate.pk, {sql} FROM {CANDIDATES}",  # noqa: S608  # sql from the backend
            params,
        )
        ranks = dict(cursor.fetchall())
    assert ranks[2] > ranks[1] > 0
    assert not ranks[3]  # no match: 0 (PostgreSQL) or no rank (SQLite)


def test_the_window_returns_the_newest_matches_first_up_to_the_limit():
    put(*[(pk, "market") for pk in range(1, 6)], (6, "river"))
    exists = "SELECT 1"
    sql, params = backend.window_sql(parse_query("market"), BASE, exists)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, 3])
        assert [row[0] for row in cursor.fetchall()] == [5, 4, 3]


def test_the_correlated_condition_tests_one_row_by_its_key():
    put((1, "market"), (2, "river"))
    built = backend.correlated_match_sql(parse_query("market"), BASE)
    if built is None:
        pytest.skip(f"the {backend.vendor} backend has no correlated condition (it uses IN)")
    condition, params = built
    where = condition.replace("{pk}", "candidate.pk")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT candidate.pk FROM {CANDIDATES} WHERE {where}",  # noqa: S608  # sql from the backend
            params,
        )
        assert [row[0] for row in cursor.fetchall()] == [1]
