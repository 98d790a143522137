"""PostgreSQL backend: ``search_document(rowid, vector tsvector)`` with a GIN index, the
``simple`` configuration (no stemming: the platform is multilingual)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from justicework.search.backends.base import TABLE, SearchBackend
from justicework.search.registry import PK_LIMIT
from justicework.search.text import Term


def _lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery_text(terms: Sequence[Term]) -> str:
    """Text for ``to_tsquery('simple', ...)``: lexemes quoted, phrases with ``<->``, prefixes
    with ``:*``, a term's stems (prefixes) and alternatives with ``|``.
    ``websearch_to_tsquery`` would be the other choice but has no prefix search."""
    parts = []
    for term in terms:
        lexemes = [_lexeme(tok) for tok in term.tokens]
        if term.prefix:
            lexemes[-1] += ":*"
        options = [" <-> ".join(lexemes), *(_lexeme(stem) + ":*" for stem in term.stems)]
        options += (_lexeme(tok) for tok in term.alternatives)
        parts.append("(" + " | ".join(options) + ")")
    return " & ".join(parts)


class PostgresBackend(SearchBackend):
    vendor = "postgresql"

    def upsert(self, cursor: Any, rows: Sequence[tuple[int, str]]) -> None:
        # One statement for the batch (arrays unnested on the server), not one per row: the
        # server's work per statement was most of an import's indexing. A row named twice keeps
        # its last text, as row-by-row upserts did (one statement may not update a row twice).
        latest = dict(rows)
        if not latest:
            return
        cursor.execute(
            f"INSERT INTO {TABLE} (rowid, vector) "  # noqa: S608  # constant table
            "SELECT d.rowid, to_tsvector('simple', d.text) "
            "FROM unnest(%s::bigint[], %s::text[]) AS d(rowid, text) "
            "ON CONFLICT (rowid) DO UPDATE SET vector = EXCLUDED.vector",
            [list(latest), list(latest.values())],
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

    def rank_sql(self, terms: Sequence[Term], base: int, pk_column: str) -> tuple[str, list[Any]]:
        sql = (
            f"(SELECT ts_rank(vector, to_tsquery('simple', %s)) FROM {TABLE} "  # noqa: S608  # constant table, column from model meta
            f"WHERE rowid = {pk_column} + %s)"
        )
        return sql, [tsquery_text(terms), base]
