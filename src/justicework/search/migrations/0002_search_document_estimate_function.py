"""PostgreSQL only: ``search_document_estimate(query, low, high)`` returns the planner's estimate
of the documents matching ``query`` with ``low <= rowid < high`` and the highest such rowid, in
one round trip. Ranking uses it to read only the newest documents that hold the rank window
(``backends.postgres.PostgresBackend.recent_bounds``). Nothing is created on SQLite."""

from typing import Any

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION search_document_estimate(
    query tsquery, low bigint, high bigint, OUT matches double precision, OUT top bigint
) LANGUAGE plpgsql VOLATILE AS $$  -- EXPLAIN is refused in a STABLE function
DECLARE
    plan json;
BEGIN
    EXECUTE format(
        'EXPLAIN (FORMAT JSON) SELECT 1 FROM search_document '
        'WHERE vector @@ %L::tsquery AND rowid >= %s AND rowid < %s',
        query::text, low, high
    ) INTO plan;
    matches := (plan -> 0 -> 'Plan' ->> 'Plan Rows')::double precision;
    SELECT max(rowid) INTO top FROM search_document WHERE rowid >= low AND rowid < high;
END
$$
"""
DROP = "DROP FUNCTION IF EXISTS search_document_estimate(tsquery, bigint, bigint)"


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(CREATE)  # no parameters: the format() placeholders stay as they are


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_document")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
