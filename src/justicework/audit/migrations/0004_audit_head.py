"""The sealed head of the audit chain (``AuditHead``, finding 5 of issue 9)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_index_entries_for_reading_only")]

    operations = [
        migrations.CreateModel(
            name="AuditHead",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("seq", models.BigIntegerField()),
                ("hash", models.CharField(max_length=64)),
                ("mac", models.CharField(max_length=64)),
            ],
            options={"verbose_name": "audit head", "verbose_name_plural": "audit head"},
        ),
    ]
