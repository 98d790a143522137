"""Test settings: only values change."""

from __future__ import annotations

import os
import tempfile

# Tests never touch the developer's ./var: a throw-away data directory and fixed test keys.
os.environ.setdefault("JUSTICEWORK_DATA_DIR", tempfile.mkdtemp(prefix="justicework-test-"))
os.environ.setdefault("JUSTICEWORK_SECRET_KEY", "test-secret-key-" + "x" * 50)
os.environ.setdefault("JUSTICEWORK_MASTER_KEY", "dGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGVzLWxvbmchISE=")

from justicework.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; prod: Argon2
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
