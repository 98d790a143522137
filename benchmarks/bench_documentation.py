"""Documentation at scale (issue 3): the incident list, full-text search and a big incident page
over N violations (default 1,000,000; ``--quick``: 50,000).

Run through the runner (``make bench``, ``python benchmarks/run.py --only documentation``) or on
its own::

    .venv/bin/python benchmarks/bench_documentation.py [--n 1000000] [--quick]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python \\
        benchmarks/bench_documentation.py

The dataset is expensive, so it is NOT built in the runner's fresh database: it is generated
once per (engine, N) into a cache directory (``JUSTICEWORK_BENCH_CACHE``, default
``/tmp/jwperf``) holding its own keys, and reused by later runs: ``<cache>/sqlite-<N>/`` holds the
SQLite file; on PostgreSQL the database is ``jwbench_<N>`` on the server of ``DATABASE_URL``.
The runner's ``run()`` starts this file as a child process pointed at that cache (a Django
process cannot switch database and keys once set up) and returns the child's figures.

Generation uses the bulk writer below, not ``justicework.demo.violations_scale`` (``justicework
demo --scale N``): that generator is faster but its titles are six place names and a number with
no description, so full-text queries would match a sixth of the incidents or nothing; here
titles and descriptions come from a Zipf-distributed vocabulary (realistic posting lists). Five
organisations, incidents with 1 to 6 violations each (mean ~3.2), a place per incident, victims
(pseudonymous persons) on ~30 % of violations, perpetrator units on ~50 %, ~2 % restricted
incidents, a search index row per incident through the real ``indexing.incident_text``; plus
ONE incident with 2,000 violations and one with a single violation. Then ``ANALYZE`` (what
autovacuum does on PostgreSQL; on SQLite it feeds the query planner). Under the runner,
``JUSTICEWORK_BENCH_DOC_N`` overrides N.

Figures (p50/p95 over >= 30 requests with varied queries, in milliseconds, measured through
Django's test ``Client`` as a signed-in documenter: whole request, middleware and template
included):

* ``incident_list_search_filters_facets`` — ``/incidents/?q=..&country=..&status=..&type=..``
  (full-text + 3 filters + total + facet counts); target p95 <= 200 ms. Baseline: the page of a
  one-violation incident (the request floor: session, middleware, policy, template).
* ``fulltext_top20`` — the newest 20 matches of ``q`` through the one query path
  (``violations.queries.match(user, Filters(q=q), limit=20).page(None, 20)``; ``search.query``,
  which ranked by relevance, is gone: docs/search.md); target p95 <= 50 ms. Baseline: fetching 20
  visible incidents by primary key through ``policy.visible`` (the floor of any 20-row read).
* ``incident_page_2000_violations`` — ``/incidents/<pk>/`` of the 2,000-violation incident;
  target p95 <= 300 ms. Baseline: the one-violation incident page.
* ``incident_list_filters_facets`` (informative) — the list with the 3 filters, no text.

``value`` is a rate as the runner's contract wants: ``1000 / p95_ms`` (requests per second at
the 95th percentile); the milliseconds are in ``p50_ms``/``p95_ms`` (and ``baseline_*``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_N = 1_000_000
QUICK_N = 50_000
BIG_INCIDENT = 2_000
REQUESTS = 40
TARGETS_MS = {
    "incident_list_search_filters_facets": 200.0,
    "fulltext_top20": 50.0,
    "incident_page_2000_violations": 300.0,
}
DATASET_VERSION = 1


def log(message: str) -> None:
    print(f"[documentation] {message}", file=sys.stderr, flush=True)


# --- Runner entry point: a child process on the cached dataset ---------------------------------


def _size() -> int:
    from benchmarks import quick

    explicit = os.environ.get("JUSTICEWORK_BENCH_DOC_N")
    if explicit:
        return int(explicit)
    return QUICK_N if quick() else DEFAULT_N


def run() -> list[dict[str, Any]]:
    """Called by ``benchmarks/run.py``: runs this file in a child process on the cache."""
    from django.db import connection

    args = [sys.executable, str(Path(__file__).resolve()), "--n", str(_size())]
    env = dict(os.environ)
    if connection.vendor == "postgresql":
        args += ["--database", _postgres_url(os.environ["DATABASE_URL"], _size())]
    else:
        env.pop("DATABASE_URL", None)
    env.pop("JUSTICEWORK_DATA_DIR", None)
    done = subprocess.run(args, env=env, stdout=subprocess.PIPE, text=True, check=True)
    rows = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    for row in rows:
        row.pop("database", None)
    return rows


def _postgres_url(url: str, n: int) -> str:
    return urlunparse(urlparse(url)._replace(path=f"/jwbench_{n}"))


def _prepare_environment(n: int, database: str | None) -> Path:
    cache = Path(os.environ.get("JUSTICEWORK_BENCH_CACHE", "/tmp/jwperf"))  # noqa: S108  # dev cache
    if database and database.startswith(("postgres://", "postgresql://")):
        data_dir = cache / f"postgresql-{n}"
        _ensure_postgres_database(database)
        os.environ["DATABASE_URL"] = database
    else:
        data_dir = cache / f"sqlite-{n}"
        data_dir.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'bench.sqlite3'}"
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["JUSTICEWORK_DATA_DIR"] = str(data_dir)
    for variable in ("JUSTICEWORK_SECRET_KEY", "JUSTICEWORK_MASTER_KEY"):
        os.environ.pop(variable, None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "justicework.settings"
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    from justicework.keyfiles import ensure_local_keys

    ensure_local_keys(data_dir)
    return data_dir


def _ensure_postgres_database(url: str) -> None:
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin_url = urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


# --- Dataset -------------------------------------------------------------------------------------

COUNTRIES = ["UA", "SY", "CD", "SD", "MM", "AF", "YE", "ET", "ML", "CF", "IQ", "LY", "SS", "GE"]
COUNTRY_WEIGHTS = [30, 15, 10, 8, 7, 6, 5, 4, 3, 3, 3, 2, 2, 2]


class Words:
    """A Zipf-distributed vocabulary (realistic posting-list lengths) and place names."""

    def __init__(self, rng: random.Random) -> None:
        from faker import Faker

        fake = Faker("en_US")
        fake.seed_instance(rng.randint(0, 2**31))
        words: list[str] = []
        seen: set[str] = set()
        for word in fake.get_words_list() + [fake.last_name().lower() for _ in range(4000)]:
            if word.isalpha() and word not in seen and len(word) > 2:
                seen.add(word)
                words.append(word)
        rng.shuffle(words)
        self.words = words
        acc = 0.0
        self.cum: list[float] = []
        for rank in range(1, len(words) + 1):
            acc += 1 / rank
            self.cum.append(acc)
        self.places = sorted({fake.city() for _ in range(3000)})
        self.rng = rng

    def text(self, n: int) -> str:
        return " ".join(self.rng.choices(self.words, cum_weights=self.cum, k=n))


def _choices(vocabulary: str) -> list[str]:
    from justicework.violations import vocabularies

    return [t.code for t in vocabularies.get(vocabulary).leaves() if not t.extra.get("group")]


def _violation_count(rng: random.Random) -> int:
    return rng.choices([1, 2, 3, 4, 5, 6], weights=[20, 20, 18, 16, 14, 12])[0]


def reindex_all() -> float:
    """Rebuild the incidents' search rows with the current ``indexing`` code (``--reindex``:
    after a change to what is indexed); then ``ANALYZE``. Returns the seconds it took."""
    from django.db import connection, transaction

    from justicework.search.backends import get_backend
    from justicework.search.backends.base import TABLE
    from justicework.search.registry import PK_LIMIT, registration_for
    from justicework.violations.indexing import reindex_incidents
    from justicework.violations.models import Incident

    started = time.perf_counter()
    base = registration_for(Incident).base
    with transaction.atomic(), connection.cursor() as cursor:
        get_backend().delete_range(cursor, base, base + PK_LIMIT - 1)
    ids = list(Incident.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 20_000):
        with transaction.atomic():
            reindex_incidents(ids[start : start + 20_000])
        log(f"  reindexed {min(start + 20_000, len(ids)):,} / {len(ids):,} incidents")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM FULL search_document")  # compact, as freshly generated
            cursor.execute("ANALYZE")
        else:
            cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('optimize')")
            cursor.execute("ANALYZE")
    return time.perf_counter() - started


def generate(n: int) -> dict[str, Any]:
    """Build the dataset (see the module docstring); returns what the measurements need."""
    from django.db import transaction

    from justicework.core import actions as core_actions
    from justicework.core.models import Organisation
    from justicework.core.roles import Role
    from justicework.violations.models import Incident

    started = time.perf_counter()
    rng = random.Random(20261124)
    words = Words(rng)
    with transaction.atomic():
        orgs = [
            core_actions.create_organisation(
                None,
                name=f"Bench organisation {i}",
                kind=Organisation.Kind.MEMBER,
                countries=[COUNTRIES[i]],
            )
            for i in range(5)
        ]
        user = core_actions.create_user(
            None, email="bench-documenter@perf.test", password=None, display_name="Bench"
        )
        core_actions.add_member(None, orgs[0], user, Role.DOCUMENTER)
        core_actions.add_member(None, orgs[1], user, Role.DOCUMENTER)
    user.forget_memberships()
    if user.requires_mfa:
        from allauth.mfa.models import Authenticator

        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})

    log(f"generating {n:,} violations with the benchmark's bulk writer")
    _bulk_generate(orgs, n - BIG_INCIDENT - 1, rng, words, index=False)
    big = _incident_with(orgs[0], BIG_INCIDENT, rng, words, title="Big incident")
    small = _incident_with(orgs[0], 1, rng, words, title="Small incident")
    log(f"rows written in {time.perf_counter() - started:.0f} s; indexing")
    reindex_all()
    log(f"generated and indexed in {time.perf_counter() - started:.0f} s")
    from justicework.violations.models import Violation

    return {
        "version": DATASET_VERSION,
        "n": n,
        "violations": Violation.objects.count(),
        "incidents": Incident.objects.count(),
        "user_id": user.pk,
        "big_incident": big,
        "small_incident": small,
        "generator": "bench bulk writer",
        "generate_seconds": round(time.perf_counter() - started, 1),
        "words": words.words[:2000],
        "places": words.places[:200],
    }


def _bulk_generate(
    orgs: list[Any], n: int, rng: random.Random, words: Words, index: bool = True
) -> None:
    """Bulk inserts in chunks (one transaction each), the search index through the real
    ``incident_text`` (``indexing.reindex_incidents``) unless ``index`` is false."""
    from django.db import transaction

    from justicework.violations.indexing import reindex_incidents
    from justicework.violations.models import Incident, Unit

    units = {
        org.pk: Unit.objects.bulk_create(
            [
                Unit(
                    organisation=org,
                    name=f"{words.rng.choice(words.places)} {i + 1}th brigade",
                    kind=rng.choice(_choices("perpetrator_types")),
                )
                for i in range(60)
            ]
        )
        for org in orgs
    }
    org_weights = [60, 10, 10, 10, 10]
    made = 0
    chunk = 20_000 if n >= 200_000 else 5_000
    progress_at = time.perf_counter()
    while made < n:
        want = min(chunk, n - made)
        with transaction.atomic():
            incident_ids = _write_chunk(orgs, org_weights, units, want, rng, words)
            if index:
                reindex_incidents(incident_ids)
        made += want
        if time.perf_counter() - progress_at > 30:
            progress_at = time.perf_counter()
            log(f"  {made:,} / {n:,} violations; {Incident.objects.count():,} incidents")


def _write_chunk(
    orgs: list[Any],
    org_weights: list[int],
    units: dict[int, list[Any]],
    want: int,
    rng: random.Random,
    words: Words,
) -> list[int]:
    """Incidents with 1..6 violations each until ``want`` violations; returns incident ids."""
    counts: list[int] = []
    while sum(counts) < want:
        counts.append(_violation_count(rng))
    counts[-1] -= sum(counts) - want
    if counts[-1] == 0:
        counts.pop()
    org_for = rng.choices(orgs, weights=org_weights, k=len(counts))
    return _write_incidents(org_for, counts, units, rng, words)


def _write_incidents(
    org_for: list[Any],
    counts: list[int],
    units: dict[int, list[Any]],
    rng: random.Random,
    words: Words,
    titles: list[str] | None = None,
) -> list[int]:
    from justicework.violations.models import (
        Incident,
        Location,
        Perpetration,
        Person,
        PersonRole,
        Violation,
    )

    types = _choices("violation_types")
    outcomes = [c for c, _label in Violation.VictimOutcome.choices]
    involvements = _choices("involvement_degrees")
    statuses = ["draft", "documented", "verified"]
    first = date(2014, 1, 1)
    incidents = []
    for i, org in enumerate(org_for):
        country = rng.choices(COUNTRIES, weights=COUNTRY_WEIGHTS)[0]
        start = first + timedelta(days=rng.randrange(4000))
        incidents.append(
            Incident(
                organisation=org,
                title=titles[i] if titles else f"{words.text(3)} {rng.choice(words.places)}",
                description=words.text(rng.randint(15, 40)),
                country=country,
                context=rng.choice(["iac", "niac", "occupation", "none_known"]),
                status=rng.choices(statuses, weights=[20, 50, 30])[0],
                sensitivity="restricted" if rng.random() < 0.02 else "normal",
                start_date=start,
                end_date=start + timedelta(days=rng.randrange(3)),
            )
        )
    Incident.objects.bulk_create(incidents, batch_size=2000)
    locations = Location.objects.bulk_create(
        [
            Location(
                organisation_id=inc.organisation_id,
                incident=inc,
                country=inc.country,
                place_name=rng.choice(words.places),
                latitude=rng.uniform(-40, 60),
                longitude=rng.uniform(-20, 100),
            )
            for inc in incidents
        ],
        batch_size=2000,
    )
    violations = []
    for inc, loc, count in zip(incidents, locations, counts, strict=True):
        for _ in range(count):
            violations.append(
                Violation(
                    organisation_id=inc.organisation_id,
                    incident=inc,
                    type=rng.choice(types),
                    location=loc,
                    start_date=inc.start_date,
                    end_date=inc.end_date,
                    victim_age=rng.randint(1, 90) if rng.random() < 0.6 else None,
                    victim_outcome=rng.choice(outcomes),
                    description=words.text(rng.randint(0, 12)),
                )
            )
    Violation.objects.bulk_create(violations, batch_size=2000)
    victims = [v for v in violations if rng.random() < 0.3]
    persons = Person.objects.bulk_create(
        [
            Person(organisation_id=v.organisation_id, code=f"B{v.pk:08d}", status="unknown")
            for v in victims
        ],
        batch_size=2000,
    )
    PersonRole.objects.bulk_create(
        [
            PersonRole(organisation_id=v.organisation_id, violation=v, person=p, role="victim")
            for v, p in zip(victims, persons, strict=True)
        ],
        batch_size=2000,
    )
    Perpetration.objects.bulk_create(
        [
            Perpetration(
                organisation_id=v.organisation_id,
                violation=v,
                unit=rng.choice(units[v.organisation_id]),
                involvement=rng.choice(involvements),
            )
            for v in violations
            if rng.random() < 0.5
        ],
        batch_size=2000,
    )
    return [inc.pk for inc in incidents]


def _incident_with(org: Any, count: int, rng: random.Random, words: Words, title: str) -> int:
    from django.db import transaction

    from justicework.violations.indexing import reindex_incidents
    from justicework.violations.models import Incident, Unit

    units = {org.pk: list(Unit.objects.filter(organisation=org)[:20])}
    with transaction.atomic():
        [pk] = _write_incidents([org], [count], units, rng, words, titles=[title])
        Incident.objects.filter(pk=pk).update(sensitivity="normal")
        reindex_incidents([pk])
    return pk


# --- Measurements --------------------------------------------------------------------------------


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return statistics.median(ordered), p95


def timed(calls: list[Callable[[], Any]]) -> list[float]:
    out = []
    for call in calls:
        started = time.perf_counter()
        call()
        out.append((time.perf_counter() - started) * 1000)
    return out


#: The kinds of search text ``_queries`` cycles through (the i-th query is of kind i % 5).
QUERY_KINDS = ("top-10 word", "word ranked 10-200", "two words", "4-letter prefix*", "place")


def _queries(meta: dict[str, Any], rng: random.Random, count: int) -> Iterator[str]:
    """Varied search text: common, middling and rare words, two-word ANDs, prefixes, places."""
    words: list[str] = meta["words"]
    places: list[str] = meta["places"]
    for i in range(count):
        kind = i % 5
        if kind == 0:
            yield words[rng.randrange(0, 10)]
        elif kind == 1:
            yield words[rng.randrange(10, 200)]
        elif kind == 2:
            yield f"{words[rng.randrange(0, 50)]} {words[rng.randrange(50, 500)]}"
        elif kind == 3:
            yield words[rng.randrange(0, 300)][:4] + "*"
        else:
            yield rng.choice(places).split()[0]


def measure(meta: dict[str, Any]) -> list[dict[str, Any]]:
    from django.test import Client
    from django.urls import reverse

    from benchmarks import figure
    from justicework.core import policy
    from justicework.core.models import User
    from justicework.violations import queries
    from justicework.violations.models import Incident

    rng = random.Random(7)
    user = User.objects.get(pk=meta["user_id"])
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    types = _choices("violation_types")
    statuses = ["documented", "verified", "draft"]

    def get(url: str) -> Callable[[], None]:
        def call() -> None:
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")

        return call

    list_url = reverse("violations:incident_list")
    small_url = reverse("violations:incident_detail", args=[meta["small_incident"]])
    big_url = reverse("violations:incident_detail", args=[meta["big_incident"]])
    texts = list(_queries(meta, rng, REQUESTS))

    def list_params(text: str | None) -> str:
        params = {
            "country": rng.choices(COUNTRIES[:6], weights=COUNTRY_WEIGHTS[:6])[0],
            "status": rng.choice(statuses),
            "type": rng.choice(types),
        }
        if text:
            params = {"q": text, **params}
        return f"{list_url}?{urlencode(params)}"

    # Warm up: templates, vocabularies, translation catalogues, the database's page cache.
    for call in [get(small_url), get(big_url), get(list_params(texts[0])), get(list_url)]:
        call()

    floor_page = timed([get(small_url) for _ in range(REQUESTS)])
    searched_list = timed([get(list_params(t)) for t in texts])
    filtered_list = timed([get(list_params(None)) for _ in range(REQUESTS)])
    big_page = timed([get(big_url) for _ in range(max(30, REQUESTS // 2))])

    visible_ids = list(
        policy.visible(user, Incident, "view").order_by().values_list("pk", flat=True)[:50_000]
    )

    def pk_fetch() -> None:
        ids = rng.sample(visible_ids, 20)
        rows = list(policy.visible(user, Incident, "view").filter(pk__in=ids))
        assert len(rows) == 20

    def full_text(text: str) -> Callable[[], None]:
        def call() -> None:
            queries.match(user, queries.Filters(q=text), limit=20).page(None, 20)

        return call

    floor_fetch = timed([pk_fetch for _ in range(REQUESTS)])
    top20 = timed([full_text(t) for t in texts])

    sizes = {"violations": meta["violations"], "incidents": meta["incidents"]}

    def by_kind(samples: list[float]) -> dict[str, float]:
        """p50 per kind of search text: the cost follows how many incidents match."""
        return {
            kind: round(statistics.median(samples[i :: len(QUERY_KINDS)]), 1)
            for i, kind in enumerate(QUERY_KINDS)
        }

    page_floor = "GET the page of a one-violation incident (request floor), p95"
    return [
        _figure(figure, "incident_list_search_filters_facets", searched_list, floor_page,
                page_floor, {**sizes, "p50_ms_by_query": by_kind(searched_list)}),
        _figure(figure, "fulltext_top20", top20, floor_fetch,
                "20 visible incidents by primary key via policy.visible, p95",
                {**sizes, "p50_ms_by_query": by_kind(top20)}),
        _figure(figure, "incident_page_2000_violations", big_page, floor_page, page_floor, sizes),
        _figure(figure, "incident_list_filters_facets", filtered_list, floor_page, page_floor,
                sizes),
    ]  # fmt: skip


def _figure(
    figure: Callable[..., dict[str, Any]],
    name: str,
    samples: list[float],
    baseline: list[float],
    baseline_name: str,
    sizes: dict[str, Any],
) -> dict[str, Any]:
    p50, p95 = percentiles(samples)
    b50, b95 = percentiles(baseline)
    target = TARGETS_MS.get(name)
    return figure(
        name,
        1000 / p95,
        "req/s at p95 (1000/p95 ms)",
        baseline_name,
        1000 / b95,
        p50_ms=round(p50, 1),
        p95_ms=round(p95, 1),
        baseline_p50_ms=round(b50, 1),
        baseline_p95_ms=round(b95, 1),
        target_p95_ms=target,
        meets_target=None if target is None else p95 <= target,
        requests=len(samples),
        **sizes,
    )


# --- Child process / command line ----------------------------------------------------------------


def _database_size(data_dir: Path) -> int:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            return int(cursor.fetchone()[0])
    path = data_dir / "bench.sqlite3"
    return sum(p.stat().st_size for p in data_dir.glob("bench.sqlite3*")) if path.exists() else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, help=f"Violations (default {DEFAULT_N:,}).")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_N:,} violations.")
    parser.add_argument(
        "--database",
        default=None,
        help="PostgreSQL URL of the dataset's database (default: SQLite in the cache; "
        "a postgres DATABASE_URL means the database jwbench_<N> on that server).",
    )
    parser.add_argument(
        "--reindex",
        action="store_true",
        help="Rebuild the cached dataset's search index with the current indexing code first.",
    )
    parser.add_argument(
        "--generate-only",
        action="store_true",
        help="Build (or reuse) the dataset and stop without measuring.",
    )
    args = parser.parse_args(argv)
    n = args.n or (QUICK_N if args.quick else DEFAULT_N)
    database = args.database
    url = os.environ.get("DATABASE_URL", "")
    if database is None and url.startswith(("postgres://", "postgresql://")):
        database = _postgres_url(url, n)
    data_dir = _prepare_environment(n, database)

    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    meta_path = data_dir / "dataset.json"
    meta: dict[str, Any] | None = None
    if meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if meta.get("version") != DATASET_VERSION or meta.get("n") != n:
            raise SystemExit(f"{meta_path} is another dataset: remove {data_dir} and rerun")
        log(f"reusing {data_dir} ({meta['violations']:,} violations)")
    else:
        meta = generate(n)
        meta["database_bytes"] = _database_size(data_dir)
        meta_path.write_text(json.dumps(meta))
        log(
            f"dataset: {meta['violations']:,} violations, {meta['incidents']:,} incidents in "
            f"{meta['generate_seconds']} s; database {meta['database_bytes'] / 2**20:,.0f} MiB"
        )
    if args.reindex:
        seconds = reindex_all()
        meta["reindex_seconds"] = round(seconds, 1)
        meta["database_bytes"] = _database_size(data_dir)
        meta_path.write_text(json.dumps(meta))
        log(f"reindexed in {seconds:.0f} s; database {meta['database_bytes'] / 2**20:,.0f} MiB")
    if args.generate_only:
        return 0
    extra = {
        "generate_seconds": meta["generate_seconds"],
        "database_mib": round(meta["database_bytes"] / 2**20),
        "generator": meta["generator"],
    }
    for row in measure(meta):
        print(json.dumps({**row, **extra, "database": connection.vendor}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
