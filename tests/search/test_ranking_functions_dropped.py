"""Migration search.0004 drops the SQL functions of ``search.query``'s ranking (0002, 0003) on
PostgreSQL, and going back recreates them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

FUNCTIONS = {"search_document_estimate", "search_document_range"}


def _functions() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT proname FROM pg_proc WHERE proname = ANY(%s)", [sorted(FUNCTIONS)])
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_ranking_functions_are_gone_and_come_back_when_migrating_back() -> None:
    assert _functions() == set()
    executor = MigrationExecutor(connection)
    executor.migrate([("search", "0003_search_document_range_function")])
    try:
        assert _functions() == FUNCTIONS
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate([("search", "0004_drop_ranking_functions")])
    assert _functions() == set()
