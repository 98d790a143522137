"""The law app's first migration: nothing yet (the catalogue is data in the package); the
qualifications and the case files add their tables after it."""

from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies: list[tuple[str, str]] = []
    operations: list[migrations.operations.base.Operation] = []
