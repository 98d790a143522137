"""Seal a chain begun before the audit key existed (finding 5 of issue 9).

Entries are immutable, so the old plain SHA-256 entries are never re-hashed. Instead one keyed
entry, ``audit.chain_keyed`` (diff: ``unkeyed_through`` and ``unkeyed_head``), is appended after
them: its HMAC covers the last unkeyed hash, so the unkeyed prefix can no longer be rewritten,
and ``audit verify`` accepts unkeyed entries only before it. Needs the audit key when the chain
is not empty (``python -m justicework.keyfiles`` creates it); nothing to do on a new database.

It runs the application's own appender (not a historical model): the marker must be hashed
exactly as ``audit verify`` recomputes it, now and later.
"""

from typing import Any

from django.db import migrations


def seal(apps: Any, schema_editor: Any) -> None:
    from justicework.audit.verify import seal_legacy_chain

    seal_legacy_chain()


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_audit_head")]

    operations = [migrations.RunPython(seal, migrations.RunPython.noop, elidable=False)]
