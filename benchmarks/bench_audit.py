"""Audit chain: append and verify rates against plain SHA-256 over the same bytes.

* ``append_single``: one ``record()`` per transaction, as an action does (entries/s).
* ``append_batch``: ``record_many`` of 500 entries per transaction, as an importer does.
* ``verify``: ``verify_chain()`` over the whole chain (entries/s).

Baseline for each: ``HMAC-SHA256(audit key, prev_hash || canonical JSON)`` of the same entries,
computed in memory — the cryptographic work the keyed chain cannot avoid; the rest is the
database.
"""

from __future__ import annotations

import hmac
from typing import Any

from django.db import transaction

from benchmarks import figure, rate, size
from justicework.audit.chain import (
    Event,
    canonical_json,
    payload_of,
    record,
    record_many,
    verify_chain,
)
from justicework.audit.models import AuditEntry
from justicework.keyfiles import audit_key


def _diff(i: int) -> dict[str, Any]:
    return {"status": ["draft", "submitted"], "title": "changed", "n": i}


def _hmac_rate(entries: list[AuditEntry]) -> float:
    blobs = [(e.prev_hash.encode("ascii"), canonical_json(payload_of(e))) for e in entries]
    key = audit_key()

    def hash_all() -> None:
        for prev, body in blobs:
            digest = hmac.new(key, digestmod="sha256")
            digest.update(prev)
            digest.update(body)
            digest.hexdigest()

    return rate(hash_all, len(blobs))


def run() -> list[dict[str, Any]]:
    singles = size(2000, 200)
    batch_total = size(20000, 2000)
    results = []

    counter = iter(range(10**9))

    def append_single() -> None:
        for _ in range(singles):
            i = next(counter)
            with transaction.atomic():
                record(
                    None,
                    "bench.thing.updated",
                    object_type="bench.thing",
                    object_id=str(i),
                    organisation_id=1,
                    diff=_diff(i),
                )

    value = rate(append_single, singles)
    recent = list(AuditEntry.objects.order_by("-seq")[:singles])
    results.append(
        figure(
            "append_single",
            value,
            "entries/s",
            "hmac_sha256_same_bytes",
            _hmac_rate(recent),
            entries=singles,
        )
    )

    def append_batch() -> None:
        for _batch in range(0, batch_total, 500):
            events = []
            for _ in range(500):
                i = next(counter)
                events.append(
                    Event(
                        action="bench.thing.imported",
                        object_type="bench.thing",
                        object_id=str(i),
                        organisation_id=1,
                        diff=_diff(i),
                    )
                )
            record_many(events)

    value = rate(append_batch, batch_total)
    recent = list(AuditEntry.objects.order_by("-seq")[:batch_total])
    results.append(
        figure(
            "append_batch",
            value,
            "entries/s",
            "hmac_sha256_same_bytes",
            _hmac_rate(recent),
            entries=batch_total,
            batch=500,
        )
    )

    total = AuditEntry.objects.count()

    def verify() -> None:
        result = verify_chain()
        assert result.ok, result.problem

    value = rate(verify, total)
    everything = list(AuditEntry.objects.order_by("seq"))
    results.append(
        figure(
            "verify",
            value,
            "entries/s",
            "hmac_sha256_same_bytes",
            _hmac_rate(everything),
            entries=total,
        )
    )
    return results
