"""The case matrix page (issue 14): a case of 40 charges x their elements with 5,000 linked
facts, rendered through Django's test ``Client`` as the case's legal analyst (whole request:
middleware, policy, the matrix queries and the template: every cell's strength and counts, the
page the user sees), 20 times for the p50/p95; target p95 <= 300 ms. Baseline, same run: the
matrix page of a case with the same 40 charges and no entry (the cost of the elements alone).

Second figure: opening one cell's entries as the page does (the htmx fragment of the fullest
cell: its entries, each with its record's label and link, and the edit forms of an analyst),
20 times; baseline: the fragment of a cell without entries.

The facts are 1,000 incidents and 4,000 violations made by the violations app's bulk actions;
the charges by ``law.actions_cases.add_charge``; the 5,000 matrix entries (one per fact, spread
round-robin over every cell of every charge, strengths and bearings varied) and the case's
links are bulk-created directly, as a bench may.

``value`` is a rate as the runner's contract wants: ``1000 / p95_ms``; the milliseconds are in
``p50_ms``/``p95_ms`` (and ``baseline_*``); ``p95_cpu_ms`` is this process's CPU time per
request and ``load_average`` the machine's load when measured (on a shared machine the
wall-clock time grows with the load, the CPU time much less).
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time
from typing import Any

from benchmarks import figure, size

TARGET_P95_MS = 300
REQUESTS = 20
TYPES = ("killing", "torture", "arbitrary_detention", "rape", "pillage")


def _org_and_analyst() -> tuple[Any, Any]:
    from justicework.core import actions as core_actions
    from justicework.core.models import Organisation
    from justicework.core.roles import Role

    organisation = core_actions.create_organisation(
        None, name="Bench Law", kind=Organisation.Kind.MEMBER, countries=["UA"]
    )
    analyst = core_actions.create_user(None, email="analyst@bench.test", password=None)
    core_actions.add_member(None, organisation, analyst, Role.LEGAL_ANALYST)
    return organisation, analyst


def _facts(organisation: Any, count: int) -> list[Any]:
    """``count`` facts: a fifth incidents, the rest violations spread over them."""
    from justicework.violations import actions

    incidents_n = count // 5
    start = dt.date(2022, 3, 1)
    rows = [
        {"title": f"Incident {n}", "country": "UA", "status": "documented",
         "context": "iac", "start_date": start + dt.timedelta(days=n % 900)}
        for n in range(incidents_n)
    ]  # fmt: skip
    incidents = actions.bulk_create_incidents(None, organisation, rows)
    violation_rows = [
        {"incident": incidents[n % incidents_n], "type": TYPES[n % len(TYPES)]}
        for n in range(count - incidents_n)
    ]
    violations = actions.bulk_create_violations(None, organisation, violation_rows)
    return [*incidents, *violations]


def _case(analyst: Any, organisation: Any, title: str, charges: int) -> tuple[Any, list[Any]]:
    from justicework.law import actions_cases as cases
    from justicework.law.catalogue import catalogue

    book = catalogue()
    case = cases.create_case_file(analyst, organisation, title=title, country="UA")
    crimes = [crime.id for crime in book.crimes if crime.elements]
    modes = ("25(3)(a)-direct", "28(a)", "25(3)(b)-ordering")
    made = [
        cases.add_charge(analyst, case, crime_id=crimes[n], mode_id=modes[n % len(modes)])
        for n in range(charges)
    ]
    return case, made


def _entries(analyst: Any, case: Any, charges: list[Any], facts: list[Any]) -> int:
    from justicework.law.case_matrix import build
    from justicework.law.models import MatrixEntry
    from justicework.violations.models import Incident

    cells = [
        (cell.part, cell.element.number, row.charge)
        for row in build(charges, [], "en")
        for cell in row.cells
    ]
    strengths = MatrixEntry.Strength.values
    entries = []
    for n, fact in enumerate(facts):
        part, element, charge = cells[n % len(cells)]
        field = "incident" if isinstance(fact, Incident) else "violation"
        entries.append(MatrixEntry(
            charge=charge, part=part, element=element, created_by=analyst,
            bearing="contradicts" if n % 7 == 0 else "supports",
            strength=strengths[n % len(strengths)], note=f"Bench note {n}.", **{field: fact},
        ))  # fmt: skip
    MatrixEntry.objects.bulk_create(entries, batch_size=1000)
    case.incidents.add(*[f for f in facts if isinstance(f, Incident)])
    case.violations.add(*[f for f in facts if not isinstance(f, Incident)])
    return len(cells)


#: this process's CPU milliseconds per request, by URL (a shared machine's load inflates the
#: wall-clock time, not this; PostgreSQL's own work is not in it, SQLite's is)
CPU_MS: dict[str, list[float]] = {}


def _timed(client: Any, url: str, headers: dict[str, str] | None = None) -> list[float]:
    client.get(url, headers=headers)  # warm up: templates, translations, the page cache
    out, cpu = [], []
    for _ in range(REQUESTS):
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(url, headers=headers)
        out.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    CPU_MS[url] = cpu
    return out


def _cpu_p95(url: str) -> float:
    return round(_percentiles(CPU_MS[url])[1], 1)


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, round(0.95 * len(ordered)) - 1)]


def run() -> list[dict[str, Any]]:
    from django.test import Client
    from django.urls import reverse

    from justicework.core import uses

    facts_n, charges_n = size(5000, 500), size(40, 10)
    organisation, analyst = _org_and_analyst()
    with uses.using("law.cases"):
        facts = _facts(organisation, facts_n)
        full, full_charges = _case(analyst, organisation, "Bench case", charges_n)
        cells = _entries(analyst, full, full_charges, facts)
        empty, empty_charges = _case(analyst, organisation, "Bench case without entries", charges_n)
    if analyst.requires_mfa:  # the analyst's role needs two factors: give it one, as tests do
        from allauth.mfa.models import Authenticator

        Authenticator.objects.create(
            user=analyst, type=Authenticator.Type.TOTP, data={"secret": "bench"}
        )
    client = Client(SERVER_NAME="localhost")
    client.force_login(analyst)
    page = reverse("law:case_matrix", args=[full.pk])
    samples = _timed(client, page)
    baseline = _timed(client, reverse("law:case_matrix", args=[empty.pk]))
    p50, p95 = _percentiles(samples)
    b50, b95 = _percentiles(baseline)
    page_figure = _page_figure(charges_n, facts_n, cells, (p50, p95, b50, b95))
    page_figure["p95_cpu_ms"] = _cpu_p95(page)
    page_figure["load_average"] = round(os.getloadavg()[0], 1)
    return [page_figure, _cell_figure(client, full_charges, empty_charges)]


def _fullest_cell(charges: list[Any]) -> tuple[Any, str, int, int]:
    from django.db.models import Count

    from justicework.law.models import MatrixEntry

    found = (
        MatrixEntry.objects.filter(charge__in=charges)
        .values("charge_id", "part", "element")
        .annotate(n=Count("pk"))
        .order_by("-n", "charge_id", "part", "element")
        .first()
    )
    if found is None:
        raise RuntimeError("the bench case has no entries")
    charge = next(c for c in charges if c.pk == found["charge_id"])
    return charge, found["part"], found["element"], found["n"]


def _cell_figure(client: Any, full: list[Any], empty: list[Any]) -> dict[str, Any]:
    from django.urls import reverse

    charge, part, number, entries = _fullest_cell(full)
    hx = {"HX-Request": "true"}
    url = reverse("law:matrix_cell", args=[charge.pk, part, number])
    samples = _timed(client, url, hx)
    baseline = _timed(client, reverse("law:matrix_cell", args=[empty[0].pk, "crime", 1]), hx)
    p50, p95 = _percentiles(samples)
    b50, b95 = _percentiles(baseline)
    return figure(
        "case_matrix_open_one_cell",
        1000 / p95,
        "req/s at p95 (1000/p95 ms)",
        "GET the entries of a cell without entries (htmx fragment), p95",
        1000 / b95,
        p50_ms=round(p50, 1),
        p95_ms=round(p95, 1),
        baseline_p50_ms=round(b50, 1),
        baseline_p95_ms=round(b95, 1),
        p95_cpu_ms=_cpu_p95(url),
        requests=REQUESTS,
        entries_in_cell=entries,
        load_average=round(os.getloadavg()[0], 1),
    )


def _page_figure(
    charges_n: int, facts_n: int, cells: int, times: tuple[float, float, float, float]
) -> dict[str, Any]:
    p50, p95, b50, b95 = times
    return figure(
        f"case_matrix_page_{charges_n}_charges_{facts_n}_facts",
        1000 / p95,
        "req/s at p95 (1000/p95 ms)",
        f"GET the matrix page of the same {charges_n} charges with no entry, p95",
        1000 / b95,
        p50_ms=round(p50, 1),
        p95_ms=round(p95, 1),
        baseline_p50_ms=round(b50, 1),
        baseline_p95_ms=round(b95, 1),
        target_p95_ms=TARGET_P95_MS,
        meets_target=p95 <= TARGET_P95_MS,
        requests=REQUESTS,
        charges=charges_n,
        cells=cells,
        facts=facts_n,
    )
