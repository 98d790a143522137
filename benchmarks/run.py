"""Benchmark runner: ``make bench`` or ``python benchmarks/run.py [--only NAME] [--quick]``.

It creates a throw-away data directory with fresh keys, points Django at a fresh database (a new
SQLite file; or, when ``DATABASE_URL`` is a PostgreSQL URL, a new database ``jw_bench_<pid>`` on
that server, dropped afterwards), migrates it, then runs every ``benchmarks/bench_<name>.py``.

Contract for a benchmark module ``bench_<name>.py``:

* it defines ``run() -> list[dict]``, called once Django is set up and the database migrated;
* each dict is one figure: ``figure`` (name), ``value`` (a rate: bigger is better), ``unit``,
  ``baseline`` (what was measured for comparison, in the same run and process),
  ``baseline_value``; extra keys (sizes...) are passed through. ``benchmarks.figure(...)``
  builds one; ``benchmarks.rate(fn, count)`` times one; ``benchmarks.size(full, quick)`` picks
  sizes that honour ``--quick``.

The runner prints one JSON line per figure, adding ``bench`` (``<name>``), ``ratio``
(``value / baseline_value``: the fraction of the baseline's speed) and ``database``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent


def discover(only: str | None) -> list[str]:
    names = sorted(p.stem[len("bench_") :] for p in (ROOT / "benchmarks").glob("bench_*.py"))
    if only is not None:
        if only not in names:
            raise SystemExit(f"no benchmark named {only!r}; have: {', '.join(names)}")
        names = [only]
    return names


@contextmanager
def fresh_database(data_dir: Path) -> Iterator[str]:
    """A new empty database URL (SQLite file, or a new PostgreSQL database dropped after)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{data_dir / 'bench.sqlite3'}"
        return
    import psycopg

    name = f"jw_bench_{os.getpid()}"
    parts = urlparse(url)
    admin_url = urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunparse(parts._replace(path=f"/{name}"))
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="Run one benchmark: NAME for benchmarks/bench_NAME.py.")
    parser.add_argument("--quick", action="store_true", help="Small sizes (smoke test).")
    args = parser.parse_args(argv)
    names = discover(args.only)
    if args.quick:
        os.environ["JUSTICEWORK_BENCH_QUICK"] = "1"
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

    with tempfile.TemporaryDirectory(prefix="justicework-bench-") as tmp:
        data_dir = Path(tmp)
        os.environ["JUSTICEWORK_DATA_DIR"] = str(data_dir)
        for variable in (
            "JUSTICEWORK_SECRET_KEY",
            "JUSTICEWORK_SECRET_KEY_FILE",
            "JUSTICEWORK_MASTER_KEY",
            "JUSTICEWORK_MASTER_KEY_FILE",
            "JUSTICEWORK_OLD_MASTER_KEYS",
        ):
            os.environ.pop(variable, None)
        from justicework.keyfiles import ensure_local_keys

        ensure_local_keys(data_dir)
        with fresh_database(data_dir) as database_url:
            os.environ["DATABASE_URL"] = database_url
            os.environ["DJANGO_SETTINGS_MODULE"] = "justicework.settings"
            import django
            from django.core.management import call_command
            from django.db import connection

            django.setup()
            call_command("migrate", verbosity=0, interactive=False)
            vendor = connection.vendor
            for name in names:
                module = importlib.import_module(f"benchmarks.bench_{name}")
                rows: list[dict[str, Any]] = module.run()
                for row in rows:
                    base = row.get("baseline_value") or 0
                    line = {
                        "bench": name,
                        **row,
                        "ratio": round(row["value"] / base, 4) if base else None,
                        "database": vendor,
                    }
                    print(json.dumps(line, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
