"""Triggers that refuse UPDATE and DELETE (and, on PostgreSQL, TRUNCATE) on hand-over records,
as on custody entries and tombstones (``evidence.triggers``)."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from justicework.evidence import triggers

TABLES = ("evidence_transfer",)


def install(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    triggers.install(schema_editor.connection, TABLES)


def uninstall(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    triggers.uninstall(schema_editor.connection, TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0015_custody_viewed_downloaded_copied_transferred_sealed_and_transfers")
    ]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
