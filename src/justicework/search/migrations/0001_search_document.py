"""The full-text index table: FTS5 on SQLite, tsvector + GIN on PostgreSQL (see models.py)."""

from typing import Any

from django.db import migrations, models

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE search_document USING fts5("
    "text, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
)
POSTGRES_CREATE = [
    "CREATE TABLE search_document (rowid bigint PRIMARY KEY, vector tsvector NOT NULL)",
    "CREATE INDEX search_document_vector ON search_document USING gin (vector)",
]


def create(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
    elif vendor == "postgresql":
        for statement in POSTGRES_CREATE:
            schema_editor.execute(statement)
    else:
        raise RuntimeError(f"justicework.search supports SQLite and PostgreSQL, not {vendor}")


def drop(apps: Any, schema_editor: Any) -> None:
    schema_editor.execute("DROP TABLE IF EXISTS search_document")


class Migration(migrations.Migration):
    initial = True
    dependencies: list[tuple[str, str]] = []

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SearchDocument",
                    fields=[("rowid", models.BigIntegerField(primary_key=True, serialize=False))],
                    options={"db_table": "search_document", "verbose_name": "search document"},
                ),
            ],
            database_operations=[migrations.RunPython(create, drop, elidable=False)],
        ),
    ]
