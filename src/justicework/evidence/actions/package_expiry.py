"""Packages made on the web do not stay on the server for ever: ``EVIDENCE_PACKAGE_TTL_HOURS``
after a package is ready its ZIP is deleted and its record marked expired; the record keeps
who asked, which items and the SHA-256 of the manifest, so a copy handed on can still be
matched to it. :func:`expire_packages` runs in the task worker before each package it builds
and from ``justicework evidence expire-packages`` (cron, or by hand). It also deletes what a
killed build left (``.<id>.zip.<pid>.partial``) once it is older than the same time."""

from __future__ import annotations

import datetime as dt
from datetime import datetime, timedelta
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from justicework.audit.chain import record
from justicework.evidence.actions.packages import package_path, packages_dir
from justicework.evidence.models import Package

S = Package.Status


def _expire_one(pk: UUID, now: datetime) -> bool:
    with transaction.atomic():
        package = Package.objects.select_for_update().filter(pk=pk, status=S.READY).first()
        if package is None or package.expires_at is None or package.expires_at > now:
            return False
        path = package_path(package)
        existed = path.exists()
        package.status = S.EXPIRED
        package.save(update_fields=["status"])
        record(
            None, "evidence.package.expired", package, organisation_id=package.organisation_id,
            diff={"manifest_sha256": package.manifest_sha256, "file_existed": existed},
        )  # fmt: skip
    path.unlink(missing_ok=True)  # after the commit: a crash leaves a file, never a lost row
    return True


def expire_packages(now: datetime | None = None) -> int:
    """Expire every ready package past its time; the number expired."""
    now = now or timezone.now()
    due = Package.objects.filter(status=S.READY, expires_at__lte=now).order_by("created_at")
    expired = sum(_expire_one(pk, now) for pk in due.values_list("pk", flat=True))
    _drop_leftovers(now)
    return expired


def _drop_leftovers(now: datetime) -> None:
    """Partial ZIPs of killed builds, and ZIPs of packages expired meanwhile (a crash between
    the commit and the unlink), once older than the time a package is kept."""
    directory = packages_dir()
    if not directory.is_dir():
        return
    cutoff = now - timedelta(hours=settings.EVIDENCE_PACKAGE_TTL_HOURS)
    expired = {f"{pk}.zip" for pk in Package.objects.filter(status=S.EXPIRED)
               .values_list("pk", flat=True)}  # fmt: skip
    for path in directory.iterdir():
        leftover = path.name.endswith(".partial") or path.name in expired
        modified = datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC)
        if path.is_file() and leftover and (path.name in expired or modified < cutoff):
            path.unlink(missing_ok=True)
