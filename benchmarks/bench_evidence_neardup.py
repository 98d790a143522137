"""Near-duplicate search over 100,000 perceptual hashes (issue 12: p95 <= 50 ms).

The table holds 100,000 originals with random 64-bit pHashes (and their four 16-bit bands,
indexed) plus 500 near copies of some of them (3 to 10 bits flipped). Each search is
``phash.near`` over the whole table: the band query (the rows sharing a band within distance 2:
137 values per band), then the exact Hamming distance in Python. Queries: half near an existing
hash (copies to find), half random (nothing to find). The table is ANALYZEd after it is filled
(what autovacuum does to a live table): a run without it on a fresh PostgreSQL table measured a
p95 of 230 ms (while the tests ran beside it), against 18 ms with it. Baseline in the same run: the
exact-hash look-up (``WHERE phash = x`` on its index), what a search for identical pictures
costs.

``value`` is ``1000 / p95_ms`` (searches per second at the 95th percentile), as the runner's
contract wants a rate; the milliseconds are in ``p50_ms``/``p95_ms`` and ``baseline_*``.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from benchmarks import figure, size


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, round(0.95 * len(ordered)) - 1)]


def _fill(count: int, copies: int, rng: random.Random) -> list[int]:
    from justicework.evidence.models import Original, Provenance
    from justicework.evidence.provenance import phash

    values = [rng.getrandbits(64) for _ in range(count)]
    for _ in range(copies):
        value = rng.choice(values[:count])
        for bit in rng.sample(range(64), rng.randint(3, 10)):
            value ^= 1 << bit
        values.append(value)
    batch = 5000
    for start in range(0, len(values), batch):
        chunk = values[start : start + batch]
        originals = Original.objects.bulk_create(
            Original(
                sha256=f"{start + i:064x}",
                sha512="0" * 128,
                size=1,
                media_type="image/png",
                storage_key="bench",
            )
            for i in range(len(chunk))
        )
        Provenance.objects.bulk_create(
            Provenance(
                original=o,
                kind="image",
                phash=phash.to_signed(v),
                dhash=phash.to_signed(v),
                **phash.band_fields(v),
            )
            for o, v in zip(originals, chunk, strict=True)
        )
    from django.db import connection

    with connection.cursor() as cursor:  # the statistics autovacuum would have gathered
        cursor.execute("ANALYZE evidence_provenance")
    return values


def _time(fn: Callable[[int], Any], queries: list[int]) -> tuple[list[float], int]:
    samples, found = [], 0
    for value in queries:
        started = time.perf_counter()
        found += len(fn(value))
        samples.append((time.perf_counter() - started) * 1000)
    return samples, found


def run() -> list[dict[str, Any]]:
    from justicework.evidence.models import Provenance
    from justicework.evidence.provenance import phash

    rng = random.Random(12)
    count, copies, searches = size(100_000, 5_000), size(500, 50), size(200, 40)
    values = _fill(count, copies, rng)
    rows = Provenance.objects.all()
    queries = [rng.choice(values) for _ in range(searches // 2)]
    queries += [rng.getrandbits(64) for _ in range(searches - len(queries))]
    rng.shuffle(queries)
    signed = [phash.to_signed(v) for v in queries]
    near_ms, near_found = _time(lambda v: phash.near(rows, v), signed)
    exact_ms, exact_found = _time(
        lambda v: list(rows.filter(phash=v).values_list("original_id", "phash", "dhash")), signed
    )
    p50, p95 = _percentiles(near_ms)
    b50, b95 = _percentiles(exact_ms)
    return [
        figure(
            "near_duplicate_search_p95",
            1000 / p95,
            "searches/s at p95",
            "exact pHash look-up on its index, p95",
            1000 / b95,
            hashes=len(values),
            searches=len(queries),
            limit_bits=phash.NEAR,
            p50_ms=round(p50, 2),
            p95_ms=round(p95, 2),
            baseline_p50_ms=round(b50, 2),
            baseline_p95_ms=round(b95, 2),
            found_near=near_found,
            found_exact=exact_found,
        )
    ]
