"""Search at coalition scale: ~300,000 incidents (the 1,000,000-violation target's incidents).

Not collected by pytest. Run it against a throw-away data directory::

    JUSTICEWORK_DATA_DIR=/tmp/jwbench DJANGO_SETTINGS_MODULE=justicework.settings \\
        .venv/bin/python tests/search/bench_scale.py --incidents 300000
    # PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/jwbench ... (database must exist)

It migrates, creates 17 organisations and a documenter in the largest one, bulk-inserts
synthetic incidents (Zipf-distributed words: realistic posting-list lengths), indexes them with
``search.index_many`` and prints p50/p95 in milliseconds for what the incident list asks of
the one query path (``violations.queries``: matches, counts, first page) with a word and
without; full-text top-20 by relevance (``filter_queryset(rank=True)``); the newest 20 matches
(``search_incidents``). Numbers go to docs/search.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "justicework.settings")


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return {"p50": round(statistics.median(ordered), 1), "p95": round(p95, 1)}


#: ``--clock cpu`` measures this process's CPU time instead of wall time: on a shared machine
#: it approximates the unloaded latency for SQLite (which runs in-process); not for PostgreSQL.
CLOCK: Callable[[], float] = time.perf_counter


def timed(fn: Callable[[], Any], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = CLOCK()
        fn()
        out.append((CLOCK() - start) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--incidents", type=int, default=300_000)
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--clock", choices=["wall", "cpu"], default="wall")
    args = parser.parse_args()
    global CLOCK
    CLOCK = time.process_time if args.clock == "cpu" else time.perf_counter

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from justicework import search
    from justicework.core import actions, policy
    from justicework.core.models import Organisation, User
    from justicework.core.roles import Role
    from justicework.violations import queries
    from justicework.violations.models import Incident

    call_command("migrate", verbosity=0)
    rng = random.Random(7)
    vocab = [f"w{i}" for i in range(20_000)]
    cum = []
    acc = 0.0
    for rank in range(1, len(vocab) + 1):
        acc += 1 / rank
        cum.append(acc)

    def words(n: int) -> str:
        return " ".join(rng.choices(vocab, cum_weights=cum, k=n))

    # Re-register with a plain text function: the benchmark measures search, not prefetching.
    search.register(Incident, text=lambda i: f"{i.title} {i.description}")

    orgs = list(Organisation.objects.filter(slug__startswith="bench-"))
    if not orgs:
        for i in range(17):
            orgs.append(
                actions.create_organisation(
                    None, name=f"Bench org {i}", kind="member", countries=["UA"], slug=f"bench-{i}"
                )
            )
        user = actions.create_user(None, email="bench@bench.test", password=None)
        actions.add_member(None, orgs[0], user, Role.DOCUMENTER)
    user = User.objects.get(email="bench@bench.test")
    existing = Incident.objects.count()
    countries = ["UA", "SY", "CD", "CO", "IQ", "MM", "SD", "GE", "YE", "AF"]
    started = time.perf_counter()
    batch = 5000
    # 1/3 of the incidents belong to the user's organisation, the rest to 16 others.
    weights = [16] + [2] * 16
    for start in range(existing, args.incidents, batch):
        rows = [
            Incident(
                organisation=rng.choices(orgs, weights=weights)[0],
                title=words(6),
                description=words(60),
                country=rng.choice(countries),
                context=rng.choice(["iac", "niac", "occupation", "none_known"]),
                status=rng.choice(["draft", "documented", "verified"]),
            )
            for _ in range(min(batch, args.incidents - start))
        ]
        with transaction.atomic():
            created = Incident.objects.bulk_create(rows)
            search.index_many(Incident, created, batch_size=1000)
    load_s = time.perf_counter() - started
    total = Incident.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    mine = Incident.objects.filter(organisation=orgs[0]).count()
    # Query words by frequency band: common (rank 10-50), mid (200-1000), rare (3000-10000).
    bands = {
        "common": vocab[10:50],
        "mid": vocab[200:1000],
        "rare": vocab[3000:10000],
    }
    results: dict[str, Any] = {
        "vendor": connection.vendor,
        "incidents": total,
        "visible_to_user": mine,
        "load_and_index_seconds": round(load_s, 1),
        "clock": args.clock,
        "load_average": os.getloadavg()[0],
    }

    def listing(**filters: Any) -> object:
        """What the incident list asks of the one query path: matches, counts, first page."""
        matches = queries.match(user, queries.Filters(**filters))
        return queries.incident_counts(matches), matches.page(None, 50)

    for band, pool in bands.items():
        words_iter = iter([rng.choice(pool) for _ in range(args.queries)] * 3)

        def list_text(words_iter: Iterator[str] = words_iter) -> object:
            return listing(q=next(words_iter))

        def top_ranked(words_iter: Iterator[str] = words_iter) -> object:
            visible = policy.visible(user, Incident, "view")
            ranked = search.filter_queryset(visible, next(words_iter), rank=True)
            return list(ranked.order_by("-search_rank")[:20])

        def top_by_date(words_iter: Iterator[str] = words_iter) -> object:
            found = queries.search_incidents(user, queries.Filters(q=next(words_iter)))
            return list(found[:20])

        results[f"list_text_facets_{band}"] = percentiles(timed(list_text, args.queries))
        results[f"top20_ranked_{band}"] = percentiles(timed(top_ranked, args.queries))
        results[f"top20_by_date_{band}"] = percentiles(timed(top_by_date, args.queries))
    results["list_no_text_facets"] = percentiles(timed(listing, args.queries))
    results["list_no_text_filtered_facets"] = percentiles(
        timed(lambda: listing(country="SY", status="verified"), args.queries)
    )
    json.dump(results, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
