"""Drop foreign-key indexes that composite indexes leading with the same column cover;
index perpetrations by (violation, unit)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_api_tokens'),
        ('violations', '0003_personindex_drop_indexes_covered_by_composites'),
    ]

    operations = [
        # Only the FK columns' own indexes go: AlterField would also drop and re-add the
        # foreign keys on PostgreSQL (re-validating whole tables), rebuild the tables on
        # SQLite and, on PostgreSQL, drop the partial unique index
        # one_victim_per_violation on the same column without creating it again.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='perpetration',
                    name='violation',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='perpetrations', to='violations.violation'),
                ),
                migrations.AlterField(
                    model_name='person',
                    name='organisation',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='persons', to='core.organisation'),
                ),
                migrations.AlterField(
                    model_name='personrole',
                    name='person',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='roles', to='violations.person'),
                ),
                migrations.AlterField(
                    model_name='personrole',
                    name='violation',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='person_roles', to='violations.violation'),
                ),
                migrations.AlterField(
                    model_name='violation',
                    name='organisation',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='violations', to='core.organisation'),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "violations_perpetration_violation_id_82e7f8fd"',
                    reverse_sql='CREATE INDEX "violations_perpetration_violation_id_82e7f8fd" ON "violations_perpetration" ("violation_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "violations_person_organisation_id_313b6864"',
                    reverse_sql='CREATE INDEX "violations_person_organisation_id_313b6864" ON "violations_person" ("organisation_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "violations_personrole_person_id_5abc1065"',
                    reverse_sql='CREATE INDEX "violations_personrole_person_id_5abc1065" ON "violations_personrole" ("person_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "violations_personrole_violation_id_aca08f31"',
                    reverse_sql='CREATE INDEX "violations_personrole_violation_id_aca08f31" ON "violations_personrole" ("violation_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "violations_violation_organisation_id_ac472b69"',
                    reverse_sql='CREATE INDEX "violations_violation_organisation_id_ac472b69" ON "violations_violation" ("organisation_id")',
                ),
            ],
        ),
        migrations.AddIndex(
            model_name='perpetration',
            index=models.Index(fields=['violation', 'unit'], name='perpetration_violation_unit'),
        ),
    ]
