"""``benchmarks/profile_import.py`` (cited in docs/import-export.md) still runs and reports."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests import subprocess_db

ROOT = Path(__file__).resolve().parent.parent


@subprocess_db.sqlite_pass_only
def test_profile_import_reports_rate_and_cpu_on_sqlite(
    tmp_path: Path, migrated_sqlite: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "JUSTICEWORK"))}
    env["TMPDIR"] = str(tmp_path)
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "profile_import.py"),
            "300",
            "--sqlite-from",
            str(migrated_sqlite),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert re.search(
        r"^sqlite: 300 rows, [\d,]+ rows/s, wall [\d.]+ s; CPU: writer [\d.]+ s, "
        r"preparing process [\d.]+ s, server backend 0\.00 s; final COMMIT [\d.]+ s$",
        result.stdout.strip(),
    ), result.stdout
