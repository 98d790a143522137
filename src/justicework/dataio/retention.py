"""Uploaded import files are kept only as long as they are needed.

An upload holds the rows (names, dates of birth, contacts) outside the encrypted fields: sealed
under a key of its organisation (``dataio.sealed``), but kept no longer than the import needs
it. A committed import deletes its file at once (``runs.commit_run``). A file that is never
committed (the dry run found errors and nobody came back, the browser closed) is removed
``IMPORT_UPLOAD_TTL_HOURS`` after its upload by :func:`purge_uploads`, which runs at every new
upload and from ``justicework purge_uploads`` (cron, or by hand). Its run stays, marked as
stopped with the reason, and the removal is audited. Files in the upload directory that no run
names (a crash between writing the file and creating its run) are removed after the same time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.audit.chain import record
from justicework.dataio.models import ImportRun
from justicework.dataio.storage import upload_dir

#: Runs whose file a purge must not touch: the import is writing.
_BUSY = (ImportRun.Status.COMMITTING,)


@dataclass(frozen=True)
class PurgeReport:
    runs: int  # runs whose file was removed
    orphans: int  # files no run named


def upload_ttl() -> timedelta:
    return timedelta(hours=int(getattr(settings, "IMPORT_UPLOAD_TTL_HOURS", 24)))


def purge_uploads(now: datetime | None = None, ttl: timedelta | None = None) -> PurgeReport:
    """Remove upload files older than ``ttl`` (default ``upload_ttl()``) that no import is
    writing; mark their runs stopped with the reason; audit each removal."""
    now = now or timezone.now()
    cutoff = now - (ttl if ttl is not None else upload_ttl())
    directory = upload_dir()
    removed_runs = 0
    stale = (
        ImportRun.objects.filter(created_at__lt=cutoff)
        .exclude(stored_path="")
        .exclude(status__in=_BUSY)
        .order_by("pk")
    )
    for run in stale.iterator():
        path = Path(run.stored_path)
        with transaction.atomic():
            locked = ImportRun.objects.select_for_update().filter(pk=run.pk).first()
            if locked is None or locked.status in _BUSY or locked.stored_path != run.stored_path:
                continue
            existed = path.parent == directory and path.exists()
            if existed:
                path.unlink(missing_ok=True)
            if locked.status == ImportRun.Status.COMMITTED:
                locked.stored_path = ""
                locked.save(update_fields=["stored_path"])
            else:
                locked.move_to(
                    ImportRun.Status.FAILED,
                    stored_path="",
                    problem=_(
                        "The uploaded file was removed %(hours)s hours after it was uploaded, "
                        "without being imported. Upload it again to import it."
                    )
                    % {"hours": int(upload_ttl().total_seconds() // 3600)},
                )
            record(
                None,
                "dataio.run.upload_removed",
                locked,
                diff={"file_existed": existed, "uploaded_at": locked.created_at.isoformat()},
                organisation_id=locked.organisation_id,
            )
            removed_runs += 1
    named = set(ImportRun.objects.exclude(stored_path="").values_list("stored_path", flat=True))
    orphans = 0
    for path in directory.iterdir():
        if not path.is_file() or str(path) in named or str(path.resolve()) in named:
            continue
        modified = datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.get_current_timezone())
        if modified < cutoff:
            path.unlink(missing_ok=True)
            orphans += 1
    return PurgeReport(removed_runs, orphans)
