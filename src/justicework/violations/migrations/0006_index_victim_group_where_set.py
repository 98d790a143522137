"""Index violations by victim group only where they have one: most violations have a single
victim and no group, and the full index took an entry (of NULL) per violation. Only the index
changes (``AlterField`` would rebuild the table on SQLite and re-check its foreign keys on
PostgreSQL)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("violations", "0005_incident_visibility_covering_index")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="violation",
                    name="victim_group",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="violations",
                        to="violations.victimgroup",
                        verbose_name="victim group",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "violations_violation_victim_group_id_8e5aae4a"',
                    reverse_sql='CREATE INDEX "violations_violation_victim_group_id_8e5aae4a" '
                    'ON "violations_violation" ("victim_group_id")',
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="violation",
            index=models.Index(
                condition=models.Q(("victim_group__isnull", False)),
                fields=["victim_group"],
                name="violation_victim_group",
            ),
        ),
    ]
