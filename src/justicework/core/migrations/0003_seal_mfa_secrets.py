"""Seal the second factors allauth stored in clear (``encryption.mfa``).

TOTP secrets, recovery-code seeds and migrated codes written before ``MFA_ADAPTER`` sealed them
are encrypted in place. Values already sealed (``jw1.…``) are recognised and kept, so running it
on a database written by the new code, or twice, changes nothing. Reversing it puts the secrets
back in clear, for going back to code that cannot read them sealed.

On SQLite the overwritten plaintext would stay in free pages and in the WAL until reused, so when
anything was sealed the file is rebuilt (``VACUUM``) and the WAL truncated; hence a non-atomic
migration (each batch is its own transaction).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def seal(apps: Any, schema_editor: Any) -> None:
    from justicework.encryption.mfa import seal_plaintext_rows

    sealed = seal_plaintext_rows(apps.get_model("mfa", "Authenticator"))
    connection = schema_editor.connection
    if sealed and connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def unseal(apps: Any, schema_editor: Any) -> None:
    from justicework.encryption.mfa import unseal_rows

    unseal_rows(apps.get_model("mfa", "Authenticator"))


class Migration(migrations.Migration):
    atomic = False
    dependencies = [
        ("core", "0002_api_tokens"),
        ("mfa", "0003_authenticator_type_uniq"),
        ("encryption", "0001_wrapped_data_keys"),
    ]

    operations = [migrations.RunPython(seal, unseal)]
