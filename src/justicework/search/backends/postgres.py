"""PostgreSQL backend: ``search_document(rowid, vector tsvector)`` with a GIN index, the
``simple`` configuration (no stemming: the platform is multilingual)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from justicework.search.backends.base import TABLE, RankRange, SearchBackend
from justicework.search.registry import PK_LIMIT
from justicework.search.text import Term

#: Narrow the ranking to recent documents only when about this many windows of documents
#: match (rarer words: the GIN bitmap over every match is already small), and make the range
#: hold about ``MARGIN`` windows of matches by the estimate (policy and filters hide some).
NARROW_FROM = 2
MARGIN = 2
#: How the recent range is read, by its share of the documents (``MARGIN * window /
#: matches``): from ``FILTER_FROM`` the bounds are tested on the GIN matches (few matches);
#: from ``SORT_FROM`` the range's matches are sorted; below, the primary key is walked
#: backwards (frequent words: a window is found within a few thousand documents). Measured on
#: 1,000,000 violations, the 40 benchmark queries each timed alone (fastest of two runs, ms):
#: share < 0.05 walk 5-10 / sort 13-17 / filter 67-159; 0.07-0.18 walk 23-45 / sort 24-37 /
#: filter 66-125; 0.24-0.41 walk 38-79 / sort 32-58 / filter 27-41; >= 0.5 walk 38-102 /
#: sort 38-41 / filter 20-27.
FILTER_FROM = 0.2
SORT_FROM = 0.05


def _lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery_text(terms: Sequence[Term]) -> str:
    """Text for ``to_tsquery('simple', ...)``: lexemes quoted, phrases with ``<->``, prefixes
    with ``:*``, a term's alternatives with ``|``. ``websearch_to_tsquery`` would be the other
    choice but has no prefix search."""
    parts = []
    for term in terms:
        lexemes = [_lexeme(tok) for tok in term.tokens]
        if term.prefix:
            lexemes[-1] += ":*"
        options = [" <-> ".join(lexemes), *(_lexeme(tok) for tok in term.alternatives)]
        parts.append("(" + " | ".join(options) + ")")
    return " & ".join(parts)


class PostgresBackend(SearchBackend):
    vendor = "postgresql"

    def upsert(self, cursor: Any, rows: Sequence[tuple[int, str]]) -> None:
        if not rows:
            return
        cursor.executemany(
            f"INSERT INTO {TABLE} (rowid, vector) VALUES (%s, to_tsvector('simple', %s)) "  # noqa: S608  # constant table
            "ON CONFLICT (rowid) DO UPDATE SET vector = EXCLUDED.vector",
            list(rows),
        )

    def match_ids_sql(self, terms: Sequence[Term], base: int) -> tuple[str, list[Any]]:
        sql = (
            f"SELECT rowid - %s FROM {TABLE} WHERE vector @@ to_tsquery('simple', %s) "  # noqa: S608  # constant table
            "AND rowid >= %s AND rowid < %s"
        )
        return sql, [base, tsquery_text(terms), base, base + PK_LIMIT]

    def correlated_match_sql(
        self, terms: Sequence[Term], base: int
    ) -> tuple[str, list[Any]] | None:
        # EXISTS with ``rowid = pk + base`` (indexable) leaves the planner both plans: probe the
        # document of each candidate row by primary key (few candidates, frequent word: a
        # common word's ``IN`` would read and sort every matching document), or read the GIN
        # index and hash the matches (rare word).
        sql = (
            f"EXISTS (SELECT 1 FROM {TABLE} WHERE {TABLE}.rowid = ({{pk}}) + %s "  # noqa: S608  # constant table
            f"AND ({{pk}}) = {TABLE}.rowid - %s "
            f"AND {TABLE}.vector @@ to_tsquery('simple', %s))"
        )
        return sql, [base, base, tsquery_text(terms)]

    def window_sql(
        self, terms: Sequence[Term], base: int, exists_sql: str
    ) -> tuple[str, list[Any]]:
        # The planner picks per query from the tsvector statistics: for a frequent word it
        # walks the primary key backwards testing @@ per row (stops after LIMIT rows), for a
        # rare one it reads the GIN index and sorts the few matches.
        sql = (
            f"SELECT rowid - %s FROM {TABLE} WHERE vector @@ to_tsquery('simple', %s) "  # noqa: S608  # constant table; exists_sql is compiled by Django
            "AND rowid >= %s AND rowid < %s "
            f"AND EXISTS ({exists_sql}) ORDER BY rowid DESC LIMIT %s"
        )
        return sql, [base, tsquery_text(terms), base, base + PK_LIMIT]

    def recent_bounds(
        self, cursor: Any, terms: Sequence[Term], base: int, window: int
    ) -> list[RankRange]:
        # A GIN index cannot hand out matches newest first: "the newest ``window`` matches"
        # either walks the primary key backwards testing every document (cost: window /
        # frequency rows) or reads every match and sorts (cost: all matches). Words in a few
        # per cent of the documents pay tens of thousands of rows either way. Knowing how many
        # documents match (the planner's estimate, from the tsvector statistics), the
        # newest ``MARGIN * window / matches`` of the rowid range should hold the window: the
        # GIN bitmap ANDed with that primary-key range reads about ``MARGIN * window`` rows.
        # If the range holds fewer visible matches (filters, policy, a wrong estimate) the
        # caller runs the statement again over every document.
        cursor.execute(
            "SELECT matches, top FROM search_document_estimate(to_tsquery('simple', %s), %s, %s)",
            [tsquery_text(terms), base, base + PK_LIMIT],
        )
        matches, top = cursor.fetchone()
        if top is None or not matches or matches < NARROW_FROM * window:
            return [RankRange(base)]
        share = MARGIN * window / matches
        low = int(top) + 1 - math.ceil((int(top) + 1 - base) * share)
        if low <= base:
            return [RankRange(base)]
        how = "filter" if share >= FILTER_FROM else "sort" if share >= SORT_FROM else "walk"
        return [RankRange(low, how), RankRange(base)]

    def ranked_sql(
        self, terms: Sequence[Term], base: int, exists_sql: str, within: RankRange | None = None
    ) -> tuple[str, list[Any]]:
        # Over every document the planner picks the backward walk or the GIN bitmap (see
        # window_sql). Within a recent range (``within.how``): "walk" as over everything (it
        # stops after a window of matches); "sort" the range's matches instead of walking,
        # which would test every document of the range (``rowid + 0`` keeps the planner from
        # taking the index order); "filter": the range's matches from
        # ``search_document_range`` (migration search.0003), the GIN bitmap ANDed with the
        # primary key's: only their pages are read (left to itself the planner reads the
        # page of every match and tests the bounds there).
        low = max(base, within.low) if within is not None else base
        how = within.how if within is not None and low > base else "walk"
        query = tsquery_text(terms)
        rank = (
            "SELECT rowid - %s, ts_rank(vector, to_tsquery('simple', %s)) AS score, "
            "count(*) OVER () FROM ("
        )
        tail = ") AS window_ ORDER BY score DESC, rowid DESC LIMIT %s OFFSET %s"
        if how == "filter":
            window = (
                "SELECT rowid, score FROM search_document_range("  # noqa: S608  # constant table and function; exists_sql is compiled by Django
                f"to_tsquery('simple', %s), %s, %s) AS {TABLE} "
                f"WHERE EXISTS ({exists_sql}) ORDER BY rowid DESC LIMIT %s"
            )
            sql = "SELECT rowid - %s, score, count(*) OVER () FROM (" + window + tail  # noqa: S608  # as above
            return sql, [base, query, low, base + PK_LIMIT]
        newest_first = "rowid" if how == "walk" else "rowid + 0"
        window = (
            f"SELECT rowid, vector FROM {TABLE} WHERE vector @@ to_tsquery('simple', %s) "  # noqa: S608  # constant table; exists_sql is compiled by Django
            "AND rowid >= %s AND rowid < %s "
            f"AND EXISTS ({exists_sql}) ORDER BY {newest_first} DESC LIMIT %s"
        )
        sql = rank + window + tail
        return sql, [base, query, query, low, base + PK_LIMIT]

    def rank_sql(self, terms: Sequence[Term], base: int, pk_column: str) -> tuple[str, list[Any]]:
        sql = (
            f"(SELECT ts_rank(vector, to_tsquery('simple', %s)) FROM {TABLE} "  # noqa: S608  # constant table, column from model meta
            f"WHERE rowid = {pk_column} + %s)"
        )
        return sql, [tsquery_text(terms), base]
