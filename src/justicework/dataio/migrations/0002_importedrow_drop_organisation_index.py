"""Drop the organisation index of imported-row keys: the unique (organisation, kind,
key_hash) index leads with the same column."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_api_tokens'),
        ('dataio', '0001_import_mappings_runs_keys'),
    ]

    operations = [
        # Only the FK columns' own indexes go: AlterField would also drop and re-add the
        # foreign keys on PostgreSQL (re-validating whole tables), rebuild the tables on
        # SQLite and, on PostgreSQL, drop the partial unique index
        # one_victim_per_violation on the same column without creating it again.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='importedrow',
                    name='organisation',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.organisation'),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "dataio_importedrow_organisation_id_25c60429"',
                    reverse_sql='CREATE INDEX "dataio_importedrow_organisation_id_25c60429" ON "dataio_importedrow" ("organisation_id")',
                ),
            ],
        ),
    ]
