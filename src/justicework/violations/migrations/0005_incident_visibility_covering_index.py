"""PostgreSQL only: a covering index for the policy's per-row visibility test of incidents
(organisation, sensitivity, author by id, read index-only). It is not in the model's state:
SQLite has no covering indexes (Django would create a plain index on ``id``, which its primary
key already is, and its system check warns about a covering index declared on SQLite)."""

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

    operations = [migrations.RunPython(create, drop, elidable=False)]
