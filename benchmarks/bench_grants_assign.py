"""Assigning reviewers (issue 15): 2,000 applications x 3 reviews among 60 reviewers, each
reviewer with 10 declared conflicts and two or three languages, through
``grants.assignment.run_assignment`` (loading the call's data, the greedy plan, the bulk insert
and the audit entry); target <= 1 s. Baseline, same run: a naive round-robin that ignores
conflicts and languages, inserting the same number of rows the same way (``core.bulk``, in one
transaction).

``value`` is applications assigned per second; the seconds are in ``seconds`` and
``baseline_seconds``, this process's CPU seconds in ``cpu_seconds`` and ``baseline_cpu_seconds``
(the machine is shared: the wall clock moves with the load, given in ``load_average``).
"""

from __future__ import annotations

import os
import time
from typing import Any

from benchmarks import figure, size

TARGET_SECONDS = 1.0


def _round_robin(call: Any, apps: list[Any], users: list[Any]) -> int:
    from django.db import transaction
    from django.utils import timezone

    from justicework.core import bulk
    from justicework.grants.models.review import Assignment

    per = call.reviews_per_application
    with transaction.atomic():
        new = bulk.maker(Assignment, call_id=call.pk, assigned_at=timezone.now())
        rows = [
            new(application_id=app.pk, reviewer_id=users[(n * per + k) % len(users)].pk)
            for n, app in enumerate(apps)
            for k in range(per)
        ]
        bulk.insert(Assignment, rows)
    return len(rows)


def run() -> list[dict[str, Any]]:
    from benchmarks import grants_data
    from justicework.grants import assignment as assigning
    from justicework.grants.models.review import Assignment, DeclaredConflict

    apps_n, reviewers_n = size(2000, 200), size(60, 12)
    org, officer = grants_data.staff("Bench Grants Assign")
    call = grants_data.call_of(org, "BENCH-ASSIGN")
    apps = grants_data.applications(call, apps_n)
    users = grants_data.reviewers(org, reviewers_n)
    declared = grants_data.conflicts(call, users, apps, per_reviewer=size(10, 3))

    started, cpu = time.perf_counter(), time.process_time()
    plan = assigning.run_assignment(officer, call)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    conflicted = set(DeclaredConflict.objects.values_list("declaration__reviewer_id", "entity_id"))
    entity_of = {a.pk: a.applicant_id for a in apps}
    if any((r, entity_of[a]) in conflicted for a, r in plan.pairs):
        raise RuntimeError("a conflicted reviewer was assigned")
    Assignment.objects.filter(call=call).delete()

    started, baseline_cpu = time.perf_counter(), time.process_time()
    naive = _round_robin(call, apps, users)
    baseline, baseline_cpu = time.perf_counter() - started, time.process_time() - baseline_cpu
    return [
        figure(
            f"assign_{apps_n}_applications_x3_among_{reviewers_n}_reviewers",
            apps_n / seconds,
            "applications/s",
            "naive round-robin ignoring conflicts and languages, same bulk insert",
            apps_n / baseline,
            seconds=round(seconds, 3),
            baseline_seconds=round(baseline, 3),
            cpu_seconds=round(cpu, 3),
            baseline_cpu_seconds=round(baseline_cpu, 3),
            load_average=round(os.getloadavg()[0], 1),
            target_seconds=TARGET_SECONDS,
            meets_target=seconds <= TARGET_SECONDS,
            assignments=len(plan.pairs),
            baseline_assignments=naive,
            short=len(plan.shortfalls),
            conflicts=declared,
        )
    ]
