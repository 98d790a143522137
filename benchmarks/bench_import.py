"""Import: CSV rows/s through the whole import path, against a raw ``executemany`` of the same rows.

* ``import_csv_100k``: ``dataio.actions.import_file`` of a 100,000-row CSV (one violation, one
  new victim with an encrypted name, sex and date of birth, an incident per 10 rows), as the CLI
  runs it: a validation pass over the whole file, then the commit pass in chunks of 2,000 with
  encryption, blind indexes, one audit entry per record (``record_many``) and the search index
  (``index_many``). Baseline: ``cursor.executemany`` of the same 100,000 rows (the CSV's cells
  as text) into a plain table, in one transaction — the cost of just getting rows into the
  database.
* ``import_event_list_100k``: the shape of public lists of killings — one incident per row, with
  its place, a named victim (encrypted, blind-indexed), age and sex, and the responsible unit by
  the list's own id (400 units, created on first sight, then found again); the violation is
  attributed to the unit. Same path, same baseline.
* ``import_csv_1m_subprocess``: the same import of a 1,000,000-row file in a fresh Python
  process whose peak resident memory (``ru_maxrss``) is reported as ``peak_rss_mb`` beside the
  same process's memory after start-up (``startup_rss_mb``); the limit is 300 MB. Baseline:
  ``executemany`` of those rows in the benchmark process.

CSV files are generated on the fly in a temporary directory (Faker names from a small pool).
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from benchmarks import figure, size

HEADER = ["Row", "Case", "Title", "Country", "Place", "Act", "When", "Victim", "Sex", "Born"]
MAPPING = {
    "fields": {
        "incident_ref": "Case",
        "incident_title": "Title",
        "country": "Country",
        "place_name": "Place",
        "type": "Act",
        "date": "When",
        "victim_name": "Victim",
        "victim_sex": "Sex",
        "victim_date_of_birth": "Born",
    },
    "key": ["Row"],
    "namespace": "bench",
}
ACTS = ["killing_in_attack", "torture", "arbitrary_detention", "rape", "enforced_disappearance"]


def write_csv(path: Path, rows: int, offset: int = 0) -> Path:
    from faker import Faker

    fake = Faker(["uk_UA", "fr_FR", "ar_AA", "en_GB"])
    Faker.seed(7)
    names = [fake.name() for _ in range(500)]
    places = [fake.city() for _ in range(200)]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(offset, offset + rows):
            case = i // 10
            writer.writerow(
                [
                    f"R{i}",
                    f"C{case}",
                    f"Incident {case}",
                    "UA",
                    places[case % len(places)],
                    ACTS[i % len(ACTS)],
                    f"20{10 + i % 13:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                    f"{names[i % len(names)]} {i}",
                    "female" if i % 2 else "male",
                    f"{1950 + i % 50}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                ]
            )
    return path


EVENT_HEADER = ["Id", "Date", "Name", "Sex", "Age", "City", "Agency id", "Agency"]
EVENT_MAPPING = {
    "fields": {
        "incident_ref": "Id",
        "incident_title": "Name",
        "country": {"value": "UA"},
        "place_name": "City",
        "type": {"value": "extrajudicial_execution"},
        "date": "Date",
        "victim_name": "Name",
        "victim_sex": "Sex",
        "victim_age": "Age",
        "perpetrator_unit_ref": "Agency id",
        "perpetrator_unit_name": "Agency",
        "perpetrator_unit_kind": {"value": "police"},
    },
    "key": ["Id"],
    "namespace": "bench-events",
}


def write_event_csv(path: Path, rows: int) -> Path:
    """An event list: one killing per row, its own incident, a place, a named victim and the
    responsible agency by the list's own id (400 agencies), as public lists of killings are."""
    from faker import Faker

    fake = Faker(["uk_UA", "en_GB"])
    Faker.seed(11)
    names = [fake.name() for _ in range(500)]
    places = [fake.city() for _ in range(300)]
    agencies = [f"{fake.city()} police department" for _ in range(400)]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(EVENT_HEADER)
        for i in range(rows):
            agency = (i * 7) % len(agencies)
            writer.writerow(
                [
                    f"E{i}",
                    f"20{15 + i % 9:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                    f"{names[i % len(names)]} {i}",
                    "female" if i % 7 == 0 else "male",
                    str(16 + i % 60),
                    places[i % len(places)],
                    f"AG{agency:04d}",
                    agencies[agency],
                ]
            )
    return path


def executemany_rate(path: Path) -> float:
    """Rows/s of a plain ``executemany`` insert of the file's rows (read in memory first)."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        width = len(next(reader))
        rows = list(reader)
    columns = ", ".join(f"c{i} TEXT" for i in range(width))
    marks = ", ".join(["%s"] * width)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_import_raw")
        key = "SERIAL" if connection.vendor == "postgresql" else "INTEGER"
        cursor.execute(f"CREATE TABLE bench_import_raw (id {key} PRIMARY KEY, {columns})")
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        names = ", ".join(f"c{i}" for i in range(width))
        cursor.executemany(f"INSERT INTO bench_import_raw ({names}) VALUES ({marks})", rows)
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_import_raw")
    return len(rows) / elapsed


def setup_actor(spec: dict[str, Any]) -> tuple[Any, Any, Any]:
    from justicework.core import actions as core_actions
    from justicework.core.models import Organisation, User
    from justicework.core.roles import Role
    from justicework.dataio import actions

    organisation = Organisation.objects.filter(slug="bench-import").first()
    if organisation is None:
        organisation = core_actions.create_organisation(
            None, name="Bench Import", kind=Organisation.Kind.MEMBER, countries=["UA"]
        )
    user = User.objects.filter(email="importer@bench.test").first()
    if user is None:
        user = core_actions.create_user(None, email="importer@bench.test", password=None)
        core_actions.add_member(None, organisation, user, Role.DOCUMENTER)
    name = str(spec["namespace"])
    mapping = actions.save_mapping(
        user, organisation, kind="violations", name=name, file_format="csv", spec=spec
    )
    return user, organisation, mapping


def import_once(path: Path, spec: dict[str, Any] | None = None) -> tuple[float, Any]:
    from justicework.dataio import actions

    user, organisation, mapping = setup_actor(spec or MAPPING)
    started = time.perf_counter()
    run = actions.import_file(
        user, organisation, kind="violations", path=path, file_format="csv", mapping=mapping
    )
    elapsed = time.perf_counter() - started
    if run.status != "committed":
        raise RuntimeError(f"benchmark import failed: {run.problem or run.error_count}")
    return run.created_rows / elapsed, run


CHILD = """
import json, os, resource, sys, time
import django
django.setup()
from pathlib import Path
from benchmarks.bench_import import import_once, peak_rss_kb
startup = peak_rss_kb()
rate, run = import_once(Path(sys.argv[1]))
print(json.dumps({"rate": rate, "rows": run.created_rows, "startup_kb": startup,
                  "peak_kb": peak_rss_kb()}))
"""


def peak_rss_kb() -> int:
    """This process's peak resident memory in KiB: ``VmHWM`` (Linux; reset by exec, unlike
    ``ru_maxrss``, which a child inherits from its parent), else ``ru_maxrss``."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource

    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def event_list(tmp: Path, rows: int) -> dict[str, Any]:
    path = write_event_csv(tmp / "events.csv", rows)
    baseline = executemany_rate(path)
    value, _run = import_once(path, EVENT_MAPPING)
    return figure(
        "import_event_list_100k" if rows == 100_000 else f"import_event_list_{rows}",
        value,
        "rows/s",
        "executemany_same_rows",
        baseline,
        rows=rows,
        shape="one incident, place, named victim and unit by id per row",
        target_rows_per_s=5000,
    )


def run() -> list[dict[str, Any]]:
    results = []
    rows = int(os.environ.get("JUSTICEWORK_BENCH_IMPORT_ROWS") or size(100_000, 5_000))
    # The 1M-row run takes minutes; JUSTICEWORK_BENCH_IMPORT_BIG=0 skips it (or sets its size).
    big = int(os.environ.get("JUSTICEWORK_BENCH_IMPORT_BIG") or size(1_000_000, 20_000))
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        path = write_csv(Path(tmp) / "100k.csv", rows)
        baseline = executemany_rate(path)
        value, _run = import_once(path)
        results.append(
            figure(
                "import_csv_100k" if rows == 100_000 else f"import_csv_{rows}",
                value,
                "rows/s",
                "executemany_same_rows",
                baseline,
                rows=rows,
                target_rows_per_s=5000,
            )
        )
        print(json.dumps(results[-1]), file=sys.stderr, flush=True)  # early, the 1M run is long
        results.append(event_list(Path(tmp), rows))
        print(json.dumps(results[-1]), file=sys.stderr, flush=True)
        if big <= 0:
            return results
        big_path = write_csv(Path(tmp) / "1m.csv", big, offset=rows)
        connection.close()
        root = Path(__file__).resolve().parent.parent
        env = dict(os.environ, PYTHONPATH=f"{root / 'src'}{os.pathsep}{root}")
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(big_path)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"1M-row import subprocess failed:\n{done.stderr[-3000:]}")
        child = json.loads(done.stdout.strip().splitlines()[-1])
        # Measured after the child, so the rows this loads are not in the child's memory.
        big_baseline = executemany_rate(big_path)
        results.append(
            figure(
                "import_csv_1m_subprocess" if big == 1_000_000 else f"import_csv_{big}_subprocess",
                child["rate"],
                "rows/s",
                "executemany_same_rows",
                big_baseline,
                rows=child["rows"],
                file_mb=round(big_path.stat().st_size / 2**20, 1),
                peak_rss_mb=round(child["peak_kb"] / 1024, 1),
                startup_rss_mb=round(child["startup_kb"] / 1024, 1),
                limit_mb=300,
            )
        )
    return results
