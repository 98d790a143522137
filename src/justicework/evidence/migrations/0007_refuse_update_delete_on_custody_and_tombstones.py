"""Triggers that refuse UPDATE and DELETE (and, on PostgreSQL, TRUNCATE) on custody entries and
tombstones (``evidence.triggers``)."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from justicework.evidence import triggers


TABLES = ("evidence_custodyentry", "evidence_tombstone")  # the tables of that time


def install(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    triggers.install(schema_editor.connection, TABLES)


def uninstall(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    triggers.uninstall(schema_editor.connection, TABLES)


class Migration(migrations.Migration):
    dependencies = [("evidence", "0006_removal_requests_tombstones_package_expiry")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
