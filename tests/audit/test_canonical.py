"""The canonical text: the fast encoder equals ``json``'s, and the stored diff is that text."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from justicework.audit.canonical import CanonicalJSONEncoder, canonical_text
from justicework.audit.chain import Event, append_many, record, record_many
from justicework.audit.models import AuditEntry
from justicework.audit.verify import verify_chain

CASES: list[Any] = [
    {},
    {"code": "P-2345A", "status": "unknown", "identity_fields": ["full_name", "sex"]},
    {"score": 0.1, "big": 1e20, "neg": -2.5e-7, "nan": float("nan"), "inf": float("-inf")},
    {"name": "Олена Коваленко → محمد خالد", "emoji": "⚖️", "quote": 'a "b" \\ c\n\t\x00'},
    {"when": dt.date(2024, 2, 29), "amount": Decimal("1.50")},
    {"at": dt.datetime(2024, 1, 1, tzinfo=dt.UTC)},
    {"nested": [1, [2.0, {"x": None}]], "deep": {"b": [1, {"z": "é"}], "a": True}},
    {1: "one", 2: "two", 10: "ten"},
    {"tuple": (1, "two"), "bools": [True, False]},
    "a string",
    [3, "x", None],
]
REFERENCE = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


@pytest.mark.parametrize("value", CASES)
def test_canonical_text_is_the_json_modules_text(value):
    assert canonical_text(value) == REFERENCE.encode(value)
    assert json.dumps(value, cls=CanonicalJSONEncoder) == REFERENCE.encode(value)


def test_canonical_text_refuses_a_cycle():
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises((RecursionError, ValueError)):
        canonical_text({"loop": loop})


def _stored_texts(first_seq: int) -> list[str]:
    with connection.cursor() as cursor:
        sql = "SELECT diff FROM audit_auditentry WHERE seq >= %s ORDER BY seq"
        cursor.execute(sql, [first_seq])
        return [row[0] if isinstance(row[0], str) else json.dumps(row[0]) for row in cursor]


@pytest.mark.django_db
def test_every_path_stores_the_diff_in_the_canonical_spelling():
    diff = {"name": "Олена", "b": [1, {"z": "é"}], "a": None, "n": 3}
    first = record(None, "test.single", diff=diff)
    record_many([Event(action="test.many", diff=diff), Event(action="test.many", diff=diff)])
    append_many([Event(action="test.append", diff=diff), Event(action="test.append", diff=diff)])
    stored = AuditEntry.objects.filter(seq__gte=first.seq).values_list("diff", flat=True)
    assert list(stored) == [diff] * 5
    if connection.vendor == "sqlite":  # the column keeps the text as written
        assert _stored_texts(first.seq) == [canonical_text(diff)] * 5
    assert verify_chain().ok
