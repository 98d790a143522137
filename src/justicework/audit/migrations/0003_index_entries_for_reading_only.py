"""Keep only the audit indexes that something reads: entries by organisation, newest first
(``audit_org_seq``, which replaces the index on ``organisation_id`` alone), by object and by
sequence and hash. The index on ``action`` and PostgreSQL's ``varchar_pattern_ops`` copies of
``action`` and ``hash`` (made for ``LIKE``, which nothing runs) go: every entry paid for them,
and an import writes two entries per row. Only the indexes are dropped: ``AlterField`` would
rebuild the append-only table on SQLite and lose its triggers."""

from typing import Any

from django.db import migrations, models

PATTERN_INDEXES = {  # PostgreSQL only
    "audit_auditentry_action_dee621eb_like": "action varchar_pattern_ops",
    "audit_auditentry_hash_718ebbcd_like": "hash varchar_pattern_ops",
}


def drop_pattern_indexes(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for name in PATTERN_INDEXES:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


def create_pattern_indexes(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for name, column in PATTERN_INDEXES.items():
            schema_editor.execute(f'CREATE INDEX "{name}" ON "audit_auditentry" ({column})')


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_refuse_update_delete_triggers")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="auditentry",
                    name="action",
                    field=models.CharField(max_length=100),
                ),
                migrations.AlterField(
                    model_name="auditentry",
                    name="organisation_id",
                    field=models.BigIntegerField(blank=True, null=True),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "audit_auditentry_action_dee621eb"',
                    reverse_sql='CREATE INDEX "audit_auditentry_action_dee621eb" '
                    'ON "audit_auditentry" ("action")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "audit_auditentry_organisation_id_de6bc33b"',
                    reverse_sql='CREATE INDEX "audit_auditentry_organisation_id_de6bc33b" '
                    'ON "audit_auditentry" ("organisation_id")',
                ),
                migrations.RunPython(drop_pattern_indexes, create_pattern_indexes),
            ],
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["organisation_id", "seq"], name="audit_org_seq"),
        ),
    ]
