"""Bad configuration fails at start with a message naming the variable (STYLE 8).

Each case starts a fresh interpreter with ``DJANGO_SETTINGS_MODULE=justicework.settings`` and
one wrong value on top of a good environment, as an operator's deployment would.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest

GOOD_MASTER_KEY = base64.b64encode(b"k" * 32).decode()
START = "import django; django.setup(); from django.conf import settings; settings.DATABASES"


def start(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("JUSTICEWORK_", "DATABASE_URL", "DJANGO_"))
    }
    base.update(
        DJANGO_SETTINGS_MODULE="justicework.settings",
        JUSTICEWORK_DATA_DIR=str(tmp_path),
        JUSTICEWORK_SECRET_KEY="s" * 60,
        JUSTICEWORK_MASTER_KEY=GOOD_MASTER_KEY,
    )
    base.update(env)
    for key in [k for k, v in base.items() if v == "<unset>"]:
        del base[key]
    return subprocess.run(
        [sys.executable, "-c", START], env=base, capture_output=True, text=True, timeout=60
    )


def test_good_configuration_starts(tmp_path: Path) -> None:
    result = start(tmp_path)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"JUSTICEWORK_DEBUG": "yes"}, "JUSTICEWORK_DEBUG"),
        ({"JUSTICEWORK_PRODUCTION": "maybe"}, "JUSTICEWORK_PRODUCTION"),
        ({"JUSTICEWORK_DEBUG": "1", "JUSTICEWORK_PRODUCTION": "1"}, "JUSTICEWORK_DEBUG"),
        ({"DATABASE_URL": "mysql://x/y"}, "DATABASE_URL"),
        ({"JUSTICEWORK_SECRET_KEY": "tooShortSecret7"}, "JUSTICEWORK_SECRET_KEY"),
        ({"JUSTICEWORK_SECRET_KEY_FILE": "/nonexistent/secret"}, "JUSTICEWORK_SECRET_KEY"),
        ({"JUSTICEWORK_MASTER_KEY": "not base64 !!"}, "JUSTICEWORK_MASTER_KEY"),
        (
            {"JUSTICEWORK_MASTER_KEY": base64.b64encode(b"k" * 16).decode()},
            "JUSTICEWORK_MASTER_KEY",
        ),
        ({"JUSTICEWORK_MASTER_KEY": "<unset>"}, "JUSTICEWORK_MASTER_KEY"),
        ({"JUSTICEWORK_OLD_MASTER_KEYS": "abc"}, "JUSTICEWORK_OLD_MASTER_KEYS"),
        ({"JUSTICEWORK_ALLOWED_HOSTS": "a.org,,b.org"}, "JUSTICEWORK_ALLOWED_HOSTS"),
        ({"JUSTICEWORK_CSRF_TRUSTED_ORIGINS": "example.org"}, "JUSTICEWORK_CSRF_TRUSTED_ORIGINS"),
        ({"JUSTICEWORK_REDIS_URL": "http://127.0.0.1:6379"}, "JUSTICEWORK_REDIS_URL"),
        ({"JUSTICEWORK_EMAIL_PORT": "0"}, "JUSTICEWORK_EMAIL_PORT"),
        ({"JUSTICEWORK_SESSION_IDLE_SECONDS": "half an hour"}, "JUSTICEWORK_SESSION_IDLE_SECONDS"),
        ({"JUSTICEWORK_API_TOKEN_MAX_DAYS": "-1"}, "JUSTICEWORK_API_TOKEN_MAX_DAYS"),
        ({"JUSTICEWORK_EVIDENCE_STORAGE": "ftp"}, "JUSTICEWORK_EVIDENCE_STORAGE"),
        ({"JUSTICEWORK_EVIDENCE_STORAGE": "s3"}, "JUSTICEWORK_EVIDENCE_S3_BUCKET"),
        ({"JUSTICEWORK_EVIDENCE_ENCRYPT": "yes please"}, "JUSTICEWORK_EVIDENCE_ENCRYPT"),
        ({"JUSTICEWORK_EVIDENCE_S3_OBJECT_LOCK": "maybe"}, "JUSTICEWORK_EVIDENCE_S3_OBJECT_LOCK"),
        ({"JUSTICEWORK_EVIDENCE_S3_LOCK_MODE": "legal-hold"}, "JUSTICEWORK_EVIDENCE_S3_LOCK_MODE"),
        ({"JUSTICEWORK_EVIDENCE_S3_PART_BYTES": "1024"}, "JUSTICEWORK_EVIDENCE_S3_PART_BYTES"),
        ({"JUSTICEWORK_GRANTS_RETENTION_YEARS": "0"}, "JUSTICEWORK_GRANTS_RETENTION_YEARS"),
        ({"JUSTICEWORK_GRANTS_REMINDER_BASE_URL": "ftp://x"}, "JUSTICEWORK_GRANTS_REMINDER_BASE"),
    ],
)
def test_bad_value_fails_at_start_naming_the_variable(
    tmp_path: Path, env: dict[str, str], named: str
) -> None:
    result = start(tmp_path, **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    last_line = result.stderr.strip().splitlines()[-1]
    assert named in last_line, result.stderr[-500:]
    for key, value in env.items():
        if key.endswith("_KEY") and value != "<unset>":
            assert value not in last_line  # key material is not echoed back
