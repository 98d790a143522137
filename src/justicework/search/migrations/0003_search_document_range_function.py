"""PostgreSQL only: ``search_document_range(query, low, high)`` returns the rowid and the rank
(``ts_rank``) of the documents matching ``query`` with ``low <= rowid < high``, read through
both indexes at once (the GIN bitmap ANDed
with the primary key's range bitmap). The planner left to itself reads every match's heap page
and tests the range there; ranking over a recent range calls this instead
(``backends.postgres.PostgresBackend.ranked_sql``, "filter"). Nothing is created on SQLite."""

from typing import Any

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION search_document_range(query tsquery, low bigint, high bigint)
RETURNS TABLE (rowid bigint, score real)
LANGUAGE plpgsql STABLE
-- For this statement only: no plain index scan (the primary key walked, testing every
-- document of the range) and no sequential scan, which leaves the bitmap plans.
SET enable_indexscan = off
SET enable_seqscan = off
AS $$
BEGIN
    -- Planned with the values (EXECUTE), not a generic plan; ranked here so that only two
    -- numbers per document leave the function (its result is kept in memory).
    RETURN QUERY EXECUTE
        'SELECT d.rowid, ts_rank(d.vector, $1) FROM search_document d '
        'WHERE d.vector @@ $1 AND d.rowid >= $2 AND d.rowid < $3'
        USING query, low, high;
END
$$
"""
DROP = "DROP FUNCTION IF EXISTS search_document_range(tsquery, bigint, bigint)"


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(CREATE)


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_search_document_estimate_function")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
