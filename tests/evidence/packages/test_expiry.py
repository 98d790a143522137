"""Web packages expire: ``EVIDENCE_PACKAGE_TTL_HOURS`` after they are ready their ZIP is
deleted (by the worker before its next package, or by ``justicework evidence
expire-packages``); the record stays with its manifest hash."""

from __future__ import annotations

import datetime as dt
import io
import os
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from justicework.audit.models import AuditEntry
from justicework.evidence.actions import package_requests
from justicework.evidence.actions import packages as actions
from justicework.evidence.actions.package_expiry import expire_packages
from justicework.evidence.models import Package

from .conftest import two_items


@pytest.fixture
def ask(documenter, acme, django_capture_on_commit_callbacks):
    items = two_items(documenter, acme)

    def make() -> Package:
        with django_capture_on_commit_callbacks(execute=True):
            package = package_requests.request_package(documenter, acme, [i.pk for i in items])
        package.refresh_from_db()
        return package

    return make


def test_a_ready_package_expires_and_its_record_stays(ask, settings, documenter, login):
    settings.EVIDENCE_PACKAGE_TTL_HOURS = 2
    package = ask()
    assert package.status == "ready" and actions.package_path(package).exists()
    expected = timezone.now() + dt.timedelta(hours=2)
    assert abs((package.expires_at - expected).total_seconds()) < 60
    assert expire_packages(now=package.expires_at - dt.timedelta(seconds=1)) == 0
    assert actions.package_path(package).exists()

    assert expire_packages(now=package.expires_at) == 1
    package.refresh_from_db()
    assert package.status == "expired" and len(package.manifest_sha256) == 64
    assert not actions.package_path(package).exists()
    audited = AuditEntry.objects.get(action="evidence.package.expired")
    assert audited.diff["manifest_sha256"] == package.manifest_sha256
    with pytest.raises(ValidationError, match="expired"):
        actions.open_download(documenter, package)
    client = login(documenter)
    page = client.get(f"/evidence/packages/{package.pk}/").content.decode()
    assert "This package expired" in page and package.manifest_sha256 in page
    download = client.get(f"/evidence/packages/{package.pk}/download")
    assert download.status_code == 302


def test_the_worker_expires_old_packages_before_building(ask):
    first = ask()
    Package.objects.filter(pk=first.pk).update(expires_at=timezone.now() - dt.timedelta(1))
    second = ask()
    first.refresh_from_db()
    assert first.status == "expired" and not actions.package_path(first).exists()
    assert second.status == "ready" and actions.package_path(second).exists()


def test_the_command_expires_and_says_how_many(ask):
    package = ask()
    Package.objects.filter(pk=package.pk).update(expires_at=timezone.now() - dt.timedelta(1))
    out = io.StringIO()
    call_command("evidence", "expire-packages", stdout=out)
    assert out.getvalue().strip() == "1 package(s) expired."
    assert not actions.package_path(package).exists()


def test_a_killed_build_leaves_a_partial_file_that_goes_when_old(ask, settings):
    package = ask()
    directory = actions.packages_dir()
    old = directory / f".{package.pk}.zip.4242.partial"
    new = directory / ".other.zip.4343.partial"
    for path in (old, new):
        path.write_bytes(b"half a zip")
    aged = time.time() - (settings.EVIDENCE_PACKAGE_TTL_HOURS + 1) * 3600
    os.utime(old, (aged, aged))
    expire_packages()
    assert not old.exists() and new.exists()
    assert actions.package_path(package).exists()  # not expired yet
