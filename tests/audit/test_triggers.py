"""The append-only triggers: installed after migrate, lifted only inside ``suspended`` and put
back after it even when the block fails; unknown database vendors are refused by name."""

from __future__ import annotations

import contextlib
from types import SimpleNamespace

import pytest
from django.db import DatabaseError, connection, transaction

from justicework.audit import triggers
from justicework.audit.models import AuditEntry
from tests.audit.helpers import append

pytestmark = pytest.mark.django_db


def test_suspended_lets_a_change_through_and_restores_the_triggers_after_an_error() -> None:
    append(1)
    with pytest.raises(RuntimeError, match="in the block"), triggers.suspended(connection):
        assert not triggers.installed(connection)
        AuditEntry.objects.filter(seq=1).update(action="test.rewritten")
        raise RuntimeError("in the block")
    assert triggers.installed(connection)
    assert AuditEntry.objects.get(seq=1).action == "test.rewritten"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(seq=1).update(action="test.again")


def test_uninstall_then_install_restores_the_refusal() -> None:
    append(1)
    triggers.uninstall(connection)
    try:
        assert not triggers.installed(connection)
        triggers.install(connection)
        triggers.install(connection)  # idempotent
    finally:
        triggers.install(connection)
    assert triggers.installed(connection)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(seq=1).delete()


def test_an_unknown_database_vendor_is_refused_by_name() -> None:
    other = SimpleNamespace(vendor="oracle", cursor=contextlib.nullcontext)
    with pytest.raises(NotImplementedError, match="'oracle'"):
        triggers.install(other)  # type: ignore[arg-type]  # a stand-in: only the vendor is read
