"""The backend contract: how rows are written and how a parsed query becomes SQL."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from justicework.search.text import Term

TABLE = "search_document"


@dataclass(frozen=True)
class RankRange:
    """Where ``ranked_sql`` looks: the documents with ``rowid >= low``, and how a backend reads
    them (a hint; PostgreSQL: ``"walk"`` the primary key backwards testing each document,
    ``"sort"`` the range's matches, or ``"filter"``: test the bounds on the index's matches
    instead of reading the range). The result never depends on it."""

    low: int
    how: str = "walk"


class SearchBackend(ABC):
    vendor: str

    @abstractmethod
    def upsert(self, cursor: Any, rows: Sequence[tuple[int, str]]) -> None:
        """Insert or replace ``(rowid, document_text)`` rows (text already tokenised)."""

    def delete(self, cursor: Any, rowids: Sequence[int]) -> None:
        for start in range(0, len(rowids), 500):
            chunk = list(rowids[start : start + 500])
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {TABLE} WHERE rowid IN ({marks})", chunk)  # noqa: S608  # placeholders only

    def delete_range(self, cursor: Any, low: int, high: int) -> None:
        cursor.execute(f"DELETE FROM {TABLE} WHERE rowid BETWEEN %s AND %s", [low, high])  # noqa: S608  # constant table

    @abstractmethod
    def match_ids_sql(self, terms: Sequence[Term], base: int) -> tuple[str, list[Any]]:
        """SQL selecting the primary keys of objects whose row in ``[base, base + 2**40)``
        matches all ``terms``."""

    def correlated_match_sql(
        self, terms: Sequence[Term], base: int
    ) -> tuple[str, list[Any]] | None:
        """A boolean SQL condition with a ``{pk}`` placeholder for the (compiled) primary key of
        the outer row: its document matches ``terms``. Parameters are the condition's own;
        the primary key's parameters go where ``{pk}`` is. None: use ``match_ids_sql`` with
        ``IN`` instead."""
        return None

    @abstractmethod
    def window_sql(
        self, terms: Sequence[Term], base: int, exists_sql: str
    ) -> tuple[str, list[Any]]:
        """SQL selecting the primary keys of the newest matches (highest primary key first)
        for which the correlated subquery ``exists_sql`` (it refers to
        ``search_document.rowid``) finds a row, ending in ``LIMIT %s``. Returns the SQL and
        the parameters that come before ``exists_sql``'s."""

    def recent_bounds(
        self, cursor: Any, terms: Sequence[Term], base: int, window: int
    ) -> list[RankRange]:
        """Ranges for ``ranked_sql`` to try in turn, ending with ``RankRange(base)`` (every
        document of the model): a range is enough when it holds a full window of visible
        matches, because everything below it is older. The default is one statement over all
        documents."""
        return [RankRange(base)]

    @abstractmethod
    def ranked_sql(
        self, terms: Sequence[Term], base: int, exists_sql: str, within: RankRange | None = None
    ) -> tuple[str, list[Any]]:
        """SQL returning ``(pk, score, n)`` (``n``: how many matches the window holds) of the
        newest ``window`` matches for which the
        correlated subquery ``exists_sql`` (it refers to ``search_document.rowid``) finds a
        row, best first (score ascending on SQLite, descending on PostgreSQL), ending in
        ``LIMIT %s`` (the window) ``) ... LIMIT %s OFFSET %s`` (the page). Returns the SQL and
        the parameters that come before ``exists_sql``'s. ``within`` (default: every document)
        leaves out the documents below ``within.low`` (see :meth:`recent_bounds`). Relevance is
        computed once per statement and only for the visible matches in the window."""

    @abstractmethod
    def rank_sql(self, terms: Sequence[Term], base: int, pk_column: str) -> tuple[str, list[Any]]:
        """A scalar SQL expression: relevance of the object whose primary key is the
        (qualified) ``pk_column``; higher is better."""
