"""append_many writes exactly the rows record_many writes (same hashes, same stored diffs)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone

from justicework.audit import chain
from justicework.audit.chain import Event, append_many, record_many
from justicework.audit.models import AuditEntry
from justicework.audit.verify import verify_chain
from tests.audit.helpers import tamper

pytestmark = pytest.mark.django_db

DIFFS: list[dict[str, Any]] = [
    {"code": "P-2345A", "status": "unknown", "identity_fields": ["full_name", "sex"]},
    {"incident": 12, "type": "torture", "victim": None, "victim_group": None},
    {"score": 0.1, "big": 1e20, "neg": -2.5e-7, "n": 3},
    {"name": "Олена Коваленко → محمد خالد", "emoji": "⚖️", "quote": 'a "b" \\ c'},
    {"when": dt.date(2024, 2, 29), "amount": Decimal("12.50"), "source": "import"},
    {"nested": [1, [2.0, {"x": None}]], "deep": {"b": [1, {"z": "é"}], "a": True}},
    {"bools": [True, False], "empty": {}, "list": [], "tuple": (1, "two")},
    {1: "one", 2: "two", 10: "ten"},
    {},
]


def _events(cast: Any) -> list[Event]:
    events = []
    for i, diff in enumerate(DIFFS):
        events.append(
            Event(
                action=f"test.append.{i % 3}",
                actor=cast.admin if i % 2 else None,
                organisation_id=cast.acme.pk if i % 4 else None,
                object_type="tests.thing",
                object_id=["12", "P-2345A", "ключ", 'a"b', ""][i % 5],
                diff=diff,
            )
        )
    events.append(Event(action="test.append.obj", actor=cast.documenter, obj=cast.acme, diff={}))
    return events


def _stored_rows() -> list[tuple[Any, ...]]:
    names = ", ".join(connection.ops.quote_name(n) for n in chain._INSERT_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {names} FROM audit_auditentry ORDER BY seq")  # noqa: S608 - fixed names
        return list(cursor.fetchall())


def test_append_many_stores_the_rows_record_many_stores(cast, monkeypatch):
    fixed = timezone.now()
    monkeypatch.setattr(chain.timezone, "now", lambda: fixed)
    record_many([Event(action="test.before", diff={"n": 1})])  # a chain to continue
    with transaction.atomic():
        point = transaction.savepoint()
        record_many(_events(cast))
        expected = _stored_rows()
        transaction.savepoint_rollback(point)
        assert append_many(_events(cast)) == len(DIFFS) + 1
        assert _stored_rows() == expected  # raw columns: the diff text byte for byte on SQLite
    assert verify_chain().ok


def test_append_many_continues_the_chain_and_verify_sees_tampering(cast):
    start = AuditEntry.objects.count()
    append_many(Event(action="test.bulk", object_id=str(i), diff={"i": i}) for i in range(50))
    record_many([Event(action="test.after", diff={})])
    assert append_many([]) == 0
    assert list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True)) == list(
        range(1, start + 52)
    )
    assert verify_chain().ok
    tamper("UPDATE audit_auditentry SET action = 'test.forged' WHERE seq = %s", [start + 20])
    result = verify_chain()
    assert not result.ok and result.first_bad_seq == start + 20
