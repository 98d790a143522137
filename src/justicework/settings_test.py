"""Test settings: only values change."""

from __future__ import annotations

import importlib.util
import os
import tempfile

# Tests never touch the developer's ./var (which `make` exports): a throw-away data directory per
# test process, so two pytest-xdist workers never purge each other's files. A directory is kept
# only when this process's own runner chose it: a test's subprocess inherits the marker and may
# name its own directory.
_runner = os.environ.get("PYTEST_XDIST_WORKER", "main")
if os.environ.get("JUSTICEWORK_TEST_DATA_DIR_OF") != _runner:
    os.environ["JUSTICEWORK_DATA_DIR"] = tempfile.mkdtemp(prefix=f"justicework-test-{_runner}-")
    os.environ["JUSTICEWORK_TEST_DATA_DIR_OF"] = _runner
os.environ.setdefault("JUSTICEWORK_SECRET_KEY", "test-secret-key-" + "x" * 50)
os.environ.setdefault("JUSTICEWORK_MASTER_KEY", "dGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGVzLWxvbmchISE=")
os.environ.setdefault("JUSTICEWORK_AUDIT_KEY", "dGVzdC1hdWRpdC1rZXktMzItYnl0ZXMtbG9uZyEhISE=")

from justicework.settings import *  # noqa: E402, F403

JUSTICEWORK_STRICT_USES = True  # an undeclared read of person data raises (core.uses)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; prod: Argon2
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# `justicework demo` in tests builds 2% of the violations demo (about 40 incidents), not 2,000.
VIOLATIONS_DEMO_FRACTION = 0.02
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Test-only models with encrypted fields, when the checkout's tests/ package is importable
# (pytest puts the repository root on sys.path; mypy's Django plugin may not).
try:
    if importlib.util.find_spec("tests.encryption.testapp") is not None:
        INSTALLED_APPS = [*INSTALLED_APPS, "tests.encryption.testapp"]  # noqa: F405
except ModuleNotFoundError:
    pass

# WhiteNoise serves from STATIC_ROOT as well as the finders; give it the (empty) directory so it
# does not warn on every test request.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
