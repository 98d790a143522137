"""Joins the two branches of the law app's migrations (case files, qualifications)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("law", "0002_case_files_and_matrix"),
        ("law", "0002_qualifications"),
    ]

    operations: list[migrations.operations.base.Operation] = []
