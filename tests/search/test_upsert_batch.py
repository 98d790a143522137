"""A backend's upsert writes a whole batch in one go: new rows, replaced rows, and a row named
twice in one batch keeps its last text (as row-by-row upserts did)."""

from __future__ import annotations

import pytest
from django.db import connection

from justicework.search.backends import get_backend
from justicework.search.backends.base import TABLE

pytestmark = pytest.mark.django_db

BASE = 7 * 2**40  # far from any registered model's rows


def _documents() -> dict[int, str]:
    column = "vector::text" if connection.vendor == "postgresql" else "text"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, {column} FROM {TABLE} WHERE rowid >= %s ORDER BY rowid",  # noqa: S608  # constant table and column
            [BASE],
        )
        return dict(cursor.fetchall())


def test_upsert_inserts_replaces_and_keeps_the_last_text_of_a_repeated_row() -> None:
    backend = get_backend()
    with connection.cursor() as cursor:
        backend.upsert(cursor, [(BASE + 1, "alpha"), (BASE + 2, "beta")])
        backend.upsert(cursor, [(BASE + 2, "gamma"), (BASE + 3, "delta")])
        if connection.vendor == "postgresql":
            backend.upsert(cursor, [(BASE + 4, "first"), (BASE + 4, "last")])
        backend.upsert(cursor, [])
    documents = _documents()
    words = {rowid - BASE: text.replace("'", "").split(":")[0] for rowid, text in documents.items()}
    expected = {1: "alpha", 2: "gamma", 3: "delta"}
    if connection.vendor == "postgresql":
        expected[4] = "last"
    assert words == expected
