"""The ranking page of a call (issue 15): 2,000 applications in review, each with 3 submitted
reviews scoring 3 criteria (18,000 scores), a tenth of them consolidated (rows bulk-created, so
the ranking's stored entries are then computed for the whole call, as the migration that
introduced them does for existing calls; that refresh is timed once, ``refresh_ms``), rendered
through Django's test ``Client`` as the programme officer (whole request: middleware, the rule, the
ranking's queries and the template), 20 times for the p50/p95; target p95 <= 200 ms.
Baseline, same run: the ranking page of a call with the same criteria and no application.

``value`` is ``1000 / p95_ms``; the milliseconds are in ``p50_ms``/``p95_ms`` (and
``baseline_*``), this process's CPU milliseconds per request at p95 in ``p95_cpu_ms``.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from decimal import Decimal
from typing import Any

from benchmarks import figure, size

TARGET_P95_MS = 200
REQUESTS = 20


def _reviews(call: Any, apps: list[Any], users: list[Any], officer: Any) -> int:
    from django.utils import timezone

    from justicework.grants.models import Criterion
    from justicework.grants.models.review import Assignment
    from justicework.grants.models.review_scores import (
        ConsolidatedScore,
        Consolidation,
        Review,
        ReviewScore,
    )

    rng = random.Random(15)
    criteria = list(Criterion.objects.filter(call=call))
    assignments = Assignment.objects.bulk_create(
        Assignment(call=call, application=app, reviewer=users[(n * 3 + k) % len(users)])
        for n, app in enumerate(apps)
        for k in range(3)
    )
    now = timezone.now()
    reviews = Review.objects.bulk_create(
        Review(assignment=a, submitted_at=now) for a in assignments
    )
    scores = [
        ReviewScore(
            review=r, criterion=c, score=rng.randint(c.min_score, c.max_score), comment="ok"
        )
        for r in reviews
        for c in criteria
    ]
    ReviewScore.objects.bulk_create(scores, batch_size=2000)
    consolidations = Consolidation.objects.bulk_create(
        Consolidation(
            application=app, method="consensus", notes="Meeting.", consolidated_by=officer
        )
        for app in apps[::10]
    )
    ConsolidatedScore.objects.bulk_create(
        ConsolidatedScore(consolidation=k, criterion=c, score=Decimal(rng.randint(0, c.max_score)))
        for k in consolidations
        for c in criteria
    )
    return len(scores)


def _timed(client: Any, url: str) -> tuple[list[float], list[float]]:
    """Wall-clock and this process's CPU milliseconds of each request (the machine is shared:
    the wall clock moves with the load; SQLite's work is in the CPU time, PostgreSQL's not)."""
    client.get(url)  # warm up: templates, translations, the database's page cache
    wall, cpu = [], []
    for _ in range(REQUESTS):
        started, used = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    return wall, cpu


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, round(0.95 * len(ordered)) - 1)]


def run() -> list[dict[str, Any]]:
    from django.test import Client
    from django.urls import reverse

    from benchmarks import grants_data

    apps_n = size(2000, 200)
    org, officer = grants_data.staff("Bench Grants Ranking")
    call = grants_data.call_of(org, "BENCH-RANK")
    empty = grants_data.call_of(org, "BENCH-RANK-EMPTY")
    apps = grants_data.applications(call, apps_n)
    users = grants_data.reviewers(org, 60)
    scores = _reviews(call, apps, users, officer)
    from django.db import transaction

    from justicework.grants import ranking_store

    started = time.perf_counter()
    with transaction.atomic():
        ranking_store.refresh(call.pk)
    refresh_ms = (time.perf_counter() - started) * 1000
    client = Client(SERVER_NAME="localhost")
    client.force_login(officer)
    samples, cpu = _timed(client, reverse("grants:review_ranking", args=[call.pk]))
    baseline, baseline_cpu = _timed(client, reverse("grants:review_ranking", args=[empty.pk]))
    p50, p95 = _percentiles(samples)
    b50, b95 = _percentiles(baseline)
    return [
        figure(
            f"ranking_page_{apps_n}_applications",
            1000 / p95,
            "req/s at p95 (1000/p95 ms)",
            "GET the ranking page of a call with the same criteria and no application, p95",
            1000 / b95,
            p50_ms=round(p50, 1),
            p95_ms=round(p95, 1),
            baseline_p50_ms=round(b50, 1),
            baseline_p95_ms=round(b95, 1),
            p95_cpu_ms=round(_percentiles(cpu)[1], 1),
            baseline_p95_cpu_ms=round(_percentiles(baseline_cpu)[1], 1),
            target_p95_ms=TARGET_P95_MS,
            meets_target=p95 <= TARGET_P95_MS,
            requests=REQUESTS,
            applications=apps_n,
            scores=scores,
            refresh_ms=round(refresh_ms, 1),
            load_average=round(os.getloadavg()[0], 1),
        )
    ]
