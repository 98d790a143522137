"""Qualifications: a legal analyst's decision on the crime a violation may amount to (issue 14)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0004_accessgrant_capability_adds_identity_requests'),
        ('law', '0001_initial'),
        ('violations', '0012_import_duplicate_decisions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Qualification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('crime_id', models.CharField(max_length=20, verbose_name='crime')),
                ('suggested_crime_id', models.CharField(blank=True, default='', max_length=20, verbose_name='suggested crime replaced')),
                ('status', models.CharField(choices=[('proposed', 'Proposed'), ('accepted', 'Accepted'), ('rejected', 'Rejected'), ('edited', 'Edited (another crime chosen)')], max_length=10, verbose_name='status')),
                ('note', models.TextField(max_length=4000, verbose_name='note')),
                ('catalogue_version', models.CharField(max_length=20, verbose_name='catalogue version')),
                ('decided_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='decided')),
                ('analyst', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='analyst')),
                ('organisation', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.organisation')),
                ('violation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='qualifications', to='violations.violation')),
            ],
            options={
                'verbose_name': 'qualification',
                'verbose_name_plural': 'qualifications',
                'ordering': ['violation_id', 'crime_id'],
                'indexes': [models.Index(fields=['organisation', 'status'], name='law_qualif_org_status')],
                'constraints': [models.UniqueConstraint(fields=('violation', 'crime_id'), name='law_one_qualification_per_crime')],
            },
        ),
    ]
