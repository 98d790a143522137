"""record_many's fast canonical encoder must hash exactly what verify_chain recomputes."""

import datetime as dt
from decimal import Decimal

from justicework.audit.chain import Event, compute_hash, payload_of, record_many
from justicework.audit.models import AuditEntry
from justicework.audit.verify import verify_chain


def test_awkward_diffs_hash_the_same_on_append_and_on_verify(cast):
    diffs = [
        {"score": 0.1, "big": 1e20, "neg": -2.5e-7, "n": 3},
        {"name": "Олена Коваленко → محمد خالد", "emoji": "⚖️", "quote": 'a "b" \\ c'},
        {"when": dt.date(2024, 2, 29), "amount": Decimal("12.50")},
        {"nested": [1, [2.0, {"x": None}]]},
        {"bools": [True, False], "empty": {}, "list": []},
    ]
    entries = record_many([Event(action="test.awkward", actor=cast.admin, diff=d) for d in diffs])
    for entry in entries:
        stored = AuditEntry.objects.get(pk=entry.pk)
        assert compute_hash(stored.prev_hash, payload_of(stored)) == stored.hash
    assert verify_chain().ok
