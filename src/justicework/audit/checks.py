"""System check: the audit key is configured (every write appends a keyed audit entry).

Without it the first write would fail deep inside an action; ``runserver``, ``migrate`` and
the worker report it at start instead, with what to do."""

from __future__ import annotations

from typing import Any

from django.core import checks

from justicework.keyfiles import AuditKeyMissing, audit_key


def audit_key_configured(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        audit_key()
    except AuditKeyMissing as exc:
        return [checks.Error(str(exc), id="audit.E001")]
    return []
