"""The diff column's encoder becomes the canonical one (``audit.canonical``): only the spelling
of new entries' text changes (on SQLite), not the column, so nothing runs on the database (a
table rebuild of the log on SQLite would copy every entry for nothing)."""

from django.db import migrations, models

import justicework.audit.canonical


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0005_seal_unkeyed_chain"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="auditentry",
                    name="diff",
                    field=models.JSONField(
                        blank=True,
                        default=dict,
                        encoder=justicework.audit.canonical.CanonicalJSONEncoder,
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
