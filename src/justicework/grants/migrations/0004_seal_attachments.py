"""Seal the attachments stored in clear under the programme's organisation's data key
(``grants.attachments_at_rest``): all or nothing, a missing or changed file stops it with the
attachment named."""

from typing import Any

from django.db import migrations


def seal(apps: Any, schema_editor: Any) -> None:
    from justicework.grants.attachments_at_rest import seal_plain_attachments

    seal_plain_attachments(apps.get_model("grants", "Attachment"))


def unseal(apps: Any, schema_editor: Any) -> None:
    from justicework.grants.attachments_at_rest import unseal_attachments

    unseal_attachments(apps.get_model("grants", "Attachment"))


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0003_join_money_and_review"),
        ("encryption", "0001_wrapped_data_keys"),
    ]

    operations = [migrations.RunPython(seal, unseal)]
