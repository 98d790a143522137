"""PostgreSQL only: a covering index for the policy's per-row visibility test of incidents
(organisation, sensitivity, author by id, read index-only). Django would create a plain index
on ``id`` on SQLite, which its primary key already is: the database side is PostgreSQL only."""

from typing import Any

from django.db import migrations, models

INDEX = models.Index(
    fields=["id"],
    include=["organisation", "sensitivity", "created_by"],
    name="incident_visibility",
)


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("violations", "Incident"), INDEX)


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("violations", "Incident"), INDEX)


class Migration(migrations.Migration):
    dependencies = [("violations", "0004_drop_fk_indexes_covered_by_composites")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="incident", index=INDEX)],
            database_operations=[migrations.RunPython(create, drop, elidable=False)],
        )
    ]
