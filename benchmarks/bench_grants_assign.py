"""Assigning reviewers (issue 15): 2,000 applications x 3 reviews among 60 reviewers, each
reviewer with 10 declared conflicts and two or three languages, through
``grants.assignment.run_assignment`` (loading the call's data, the greedy plan, the bulk insert
and the audit entry); target <= 1 s. Baseline, same run: a naive round-robin that ignores
conflicts and languages, inserting the same number of rows the same way.

``value`` is applications assigned per second; the seconds are in ``seconds`` and
``baseline_seconds``.
"""

from __future__ import annotations

import time
from typing import Any

from benchmarks import figure, size

TARGET_SECONDS = 1.0


def _round_robin(call: Any, apps: list[Any], users: list[Any]) -> int:
    from justicework.grants.models.review import Assignment

    per = call.reviews_per_application
    rows = [
        Assignment(call=call, application=app, reviewer=users[(n * per + k) % len(users)])
        for n, app in enumerate(apps)
        for k in range(per)
    ]
    Assignment.objects.bulk_create(rows, batch_size=1000)
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

    started = time.perf_counter()
    plan = assigning.run_assignment(officer, call)
    seconds = time.perf_counter() - started
    conflicted = set(DeclaredConflict.objects.values_list("declaration__reviewer_id", "entity_id"))
    entity_of = {a.pk: a.applicant_id for a in apps}
    if any((r, entity_of[a]) in conflicted for a, r in plan.pairs):
        raise RuntimeError("a conflicted reviewer was assigned")
    Assignment.objects.filter(call=call).delete()

    started = time.perf_counter()
    naive = _round_robin(call, apps, users)
    baseline = time.perf_counter() - started
    return [
        figure(
            f"assign_{apps_n}_applications_x3_among_{reviewers_n}_reviewers",
            apps_n / seconds,
            "applications/s",
            "naive round-robin ignoring conflicts and languages, same bulk insert",
            apps_n / baseline,
            seconds=round(seconds, 3),
            baseline_seconds=round(baseline, 3),
            target_seconds=TARGET_SECONDS,
            meets_target=seconds <= TARGET_SECONDS,
            assignments=len(plan.pairs),
            baseline_assignments=naive,
            short=len(plan.shortfalls),
            conflicts=declared,
        )
    ]
