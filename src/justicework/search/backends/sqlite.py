"""SQLite FTS5 backend: ``search_document`` is an FTS5 table, its ``rowid`` the index key."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from justicework.search.backends.base import TABLE, SearchBackend
from justicework.search.registry import PK_LIMIT
from justicework.search.text import Term


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def fts_expression(terms: Sequence[Term]) -> str:
    """An FTS5 query for ``terms``: every token quoted, so no FTS5 syntax gets through; a
    term's stems (as prefixes) and alternatives joined with ``OR``."""
    parts = []
    for term in terms:
        phrase = _quote(" ".join(term.tokens)) + ("*" if term.prefix else "")
        options = [phrase, *(_quote(stem) + "*" for stem in term.stems)]
        options += map(_quote, term.alternatives)
        if len(options) > 1:
            phrase = "(" + " OR ".join(options) + ")"
        parts.append(phrase)
    return " AND ".join(parts)


class SqliteBackend(SearchBackend):
    vendor = "sqlite"

    def upsert(self, cursor: Any, rows: Sequence[tuple[int, str]]) -> None:
        if not rows:
            return
        self.delete(cursor, [rowid for rowid, _ in rows])
        cursor.executemany(f"INSERT INTO {TABLE} (rowid, text) VALUES (%s, %s)", list(rows))  # noqa: S608  # constant table

    def match_ids_sql(self, terms: Sequence[Term], base: int) -> tuple[str, list[Any]]:
        sql = (
            f"SELECT rowid - %s FROM {TABLE} WHERE {TABLE} MATCH %s "  # noqa: S608  # constant table
            "AND rowid >= %s AND rowid < %s"
        )
        return sql, [base, fts_expression(terms), base, base + PK_LIMIT]

    def window_sql(
        self, terms: Sequence[Term], base: int, exists_sql: str
    ) -> tuple[str, list[Any]]:
        # FTS5 walks the doclists by rowid, backwards here, and stops after LIMIT rows.
        sql = (
            f"SELECT rowid - %s FROM {TABLE} "  # noqa: S608  # constant table; exists_sql is compiled by Django
            f"WHERE {TABLE} MATCH %s AND rowid >= %s AND rowid < %s "
            f"AND EXISTS ({exists_sql}) ORDER BY rowid DESC LIMIT %s"
        )
        return sql, [base, fts_expression(terms), base, base + PK_LIMIT]

    def rank_sql(self, terms: Sequence[Term], base: int, pk_column: str) -> tuple[str, list[Any]]:
        # bm25() is lower-is-better; negate so that higher is better on both backends.
        sql = (
            f"(SELECT -bm25({TABLE}) FROM {TABLE} WHERE {TABLE} MATCH %s "  # noqa: S608  # constant table, column from model meta
            f"AND rowid = {pk_column} + %s)"
        )
        return sql, [fts_expression(terms), base]
