"""Case files, their charges and the case matrix (issue 14, i14cases)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):


    dependencies = [
        ('core', '0004_accessgrant_capability_adds_identity_requests'),
        ('evidence', '0016_refuse_update_delete_on_transfers'),
        ('law', '0001_initial'),
        ('violations', '0012_import_duplicate_decisions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CaseFile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=300, verbose_name='title')),
                ('country', models.CharField(max_length=2, verbose_name='country')),
                ('period_from', models.DateField(blank=True, null=True, verbose_name='period from')),
                ('period_to', models.DateField(blank=True, null=True, verbose_name='period to')),
                ('summary', models.TextField(blank=True, verbose_name='summary')),
                ('restricted', models.BooleanField(default=False, verbose_name='restricted to its team')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('incidents', models.ManyToManyField(blank=True, related_name='law_case_files', to='violations.incident')),
                ('items', models.ManyToManyField(blank=True, related_name='law_case_files', to='evidence.item')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='law_case_files', to='core.organisation')),
                ('sources', models.ManyToManyField(blank=True, related_name='law_case_files', to='violations.source')),
                ('suspect_persons', models.ManyToManyField(blank=True, related_name='law_case_files', to='violations.person')),
                ('suspect_units', models.ManyToManyField(blank=True, related_name='law_case_files', to='violations.unit')),
                ('team', models.ManyToManyField(blank=True, related_name='law_case_files', to=settings.AUTH_USER_MODEL)),
                ('violations', models.ManyToManyField(blank=True, related_name='law_case_files', to='violations.violation')),
            ],
            options={
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Charge',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('crime_id', models.CharField(max_length=40, verbose_name='crime')),
                ('mode_id', models.CharField(max_length=40, verbose_name='mode of liability')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='charges', to='law.casefile')),
            ],
            options={
                'ordering': ['id'],
            },
        ),
        migrations.CreateModel(
            name='MatrixEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('part', models.CharField(choices=[('crime', 'element of the crime'), ('mode', 'element of the mode of liability')], max_length=5, verbose_name='part')),
                ('element', models.PositiveSmallIntegerField(verbose_name='element number')),
                ('bearing', models.CharField(choices=[('supports', 'supports'), ('contradicts', 'contradicts')], max_length=12, verbose_name='bearing')),
                ('strength', models.CharField(choices=[('none', 'none'), ('weak', 'weak'), ('moderate', 'moderate'), ('strong', 'strong')], max_length=8, verbose_name='strength')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('charge', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='entries', to='law.charge')),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('incident', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='violations.incident')),
                ('item', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='evidence.item')),
                ('source', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='violations.source')),
                ('violation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='violations.violation')),
            ],
            options={
                'ordering': ['id'],
            },
        ),
        migrations.AddIndex(
            model_name='casefile',
            index=models.Index(fields=['organisation', '-created_at'], name='law_case_org_new'),
        ),
        migrations.AddConstraint(
            model_name='charge',
            constraint=models.UniqueConstraint(fields=('case', 'crime_id', 'mode_id'), name='law_charge_once_per_case'),
        ),
        migrations.AddIndex(
            model_name='matrixentry',
            index=models.Index(fields=['charge', 'part', 'element'], name='law_entry_cell'),
        ),
        migrations.AddConstraint(
            model_name='matrixentry',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('incident__isnull', True), ('item__isnull', True), ('source__isnull', True), ('violation__isnull', False)), models.Q(('incident__isnull', False), ('item__isnull', True), ('source__isnull', True), ('violation__isnull', True)), models.Q(('incident__isnull', True), ('item__isnull', False), ('source__isnull', True), ('violation__isnull', True)), models.Q(('incident__isnull', True), ('item__isnull', True), ('source__isnull', False), ('violation__isnull', True)), _connector='OR'), name='law_entry_links_one'),
        ),
    ]
