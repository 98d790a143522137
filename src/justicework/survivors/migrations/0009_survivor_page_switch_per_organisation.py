"""The survivor page gets a per-organisation switch, off by default. Organisations that had
already given survivors a live code (issued while the page was on for the whole instance) are
switched on, so no survivor loses their page by an upgrade; every other organisation is off."""

from typing import Any

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def keep_live_codes_working(apps: Any, schema_editor: Any) -> None:
    code = apps.get_model("survivors", "SurvivorPageCode")
    switch = apps.get_model("survivors", "SurvivorPageSwitch")
    live = code.objects.filter(revoked_at__isnull=True, expires_at__gt=django.utils.timezone.now())
    for organisation_id in live.values_list("organisation_id", flat=True).distinct():
        switch.objects.create(organisation_id=organisation_id, enabled=True)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0004_accessgrant_capability_adds_identity_requests'),
        ('survivors', '0008_safety_review_reminders'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='SurvivorPageSwitch',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('enabled', models.BooleanField(default=False, verbose_name='survivor page on')),
                ('changed_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='changed')),
                ('changed_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organisation', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.organisation')),
            ],
            options={
                'verbose_name': 'survivor page switch',
                'verbose_name_plural': 'survivor page switches',
            },
        ),
        migrations.RunPython(keep_live_codes_working, migrations.RunPython.noop),
    ]
