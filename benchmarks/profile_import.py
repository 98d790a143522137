"""Where an import's time goes: ``python benchmarks/profile_import.py N [--postgres URL]``.

Imports an N-row benchmark CSV (``bench_import.write_csv``) into a fresh database (a SQLite file,
or a new PostgreSQL database ``jw_profile_<pid>`` on the server of ``--postgres``, dropped after)
and prints the rate, the CPU seconds of the writer, of the preparing process and (PostgreSQL) of
the server backend, read from ``/proc``, and the time of the final ``COMMIT``. Not part of
``make bench``: it explains the figures that ``bench_import`` reports.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _own_cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int)
    parser.add_argument("--postgres", help="a PostgreSQL server URL (default: SQLite)")
    parser.add_argument(
        "--shape",
        choices=["csv", "events"],
        default="csv",
        help="ten per incident, or an event list",
    )
    parser.add_argument("--cprofile", metavar="FILE", help="write the writer's cProfile stats here")
    parser.add_argument(
        "--sqlite-from",
        type=Path,
        help="start the SQLite file as a copy of this migrated database (the tests pass theirs)",
    )
    args = parser.parse_args(argv)
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    tmp = Path(tempfile.mkdtemp(prefix="justicework-profile-"))
    os.environ["JUSTICEWORK_DATA_DIR"] = str(tmp)
    from justicework.keyfiles import ensure_local_keys

    ensure_local_keys(tmp)
    admin = name = ""
    if args.postgres:
        import psycopg

        parts = urlparse(args.postgres)
        admin = urlunparse(parts._replace(path="/postgres"))
        name = f"jw_profile_{os.getpid()}"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = urlunparse(parts._replace(path=f"/{name}"))
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'profile.sqlite3'}"
        if args.sqlite_from:  # migrate then finds nothing to apply
            shutil.copyfile(args.sqlite_from, tmp / "profile.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "justicework.settings"
    try:
        return _profile(args.rows, tmp, args.shape, args.cprofile)
    finally:
        if name:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(tmp, ignore_errors=True)


def _profile(rows: int, tmp: Path, shape: str = "csv", cprofile: str | None = None) -> int:
    import django

    django.setup()
    import psycopg
    from django.core.management import call_command
    from django.db import connection

    from benchmarks import bench_import as bench

    call_command("migrate", verbosity=0, interactive=False)
    if shape == "events":
        spec, path = bench.EVENT_MAPPING, bench.write_event_csv(tmp / "rows.csv", rows)
    else:
        spec, path = bench.MAPPING, bench.write_csv(tmp / "rows.csv", rows)
    bench.setup_actor(spec)
    backend = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = int(cursor.fetchone()[0])
    committing = [0.0]
    commit = psycopg.Connection.commit

    def timed_commit(self: Any) -> None:
        started = time.perf_counter()
        try:
            commit(self)
        finally:
            committing[0] += time.perf_counter() - started

    psycopg.Connection.commit = timed_commit  # type: ignore[method-assign]  # measuring only
    server = _cpu_seconds(backend) if backend else 0.0
    writer = _own_cpu(resource.RUSAGE_SELF)
    child = _own_cpu(resource.RUSAGE_CHILDREN)
    profiler = cProfile.Profile(time.process_time) if cprofile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    rate, run = bench.import_once(path, spec)
    if profiler:
        profiler.disable()
        profiler.dump_stats(cprofile)
    wall = time.perf_counter() - started
    print(
        f"{connection.vendor}: {run.created_rows} rows, {rate:,.0f} rows/s, wall {wall:.2f} s; "
        f"CPU: writer {_own_cpu(resource.RUSAGE_SELF) - writer:.2f} s, "
        f"preparing process {_own_cpu(resource.RUSAGE_CHILDREN) - child:.2f} s, "
        f"server backend {(_cpu_seconds(backend) - server) if backend else 0.0:.2f} s; "
        f"final COMMIT {committing[0]:.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
