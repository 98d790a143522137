"""The runner can still empty tables after transactional tests, and the triggers come back."""

from __future__ import annotations

import pytest
from django.db import connection

from justicework.audit import triggers
from justicework.audit.models import AuditEntry
from tests.audit.helpers import append


@pytest.mark.django_db(transaction=True)
def test_transactional_test_writes_audit_entries():
    append(3)
    assert AuditEntry.objects.count() >= 3


@pytest.mark.django_db(transaction=True)
def test_the_next_transactional_test_starts_empty_with_triggers_in_place():
    assert AuditEntry.objects.count() == 0
    assert triggers.installed(connection)
