"""The backend contract: how rows are written and how a parsed query becomes SQL."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any

from justicework.search.text import Term

TABLE = "search_document"


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

    @abstractmethod
    def rank_sql(self, terms: Sequence[Term], base: int, pk_column: str) -> tuple[str, list[Any]]:
        """A scalar SQL expression: relevance of the object whose primary key is the
        (qualified) ``pk_column``; higher is better."""
