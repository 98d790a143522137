"""Where import uploads live and how they are read back: the upload directory, storing an upload
sealed under its organisation's key (``dataio.sealed``), and the content hash of a file.

Shared by the import actions (``dataio.actions``, ``dataio.runs``) and the purge
(``dataio.retention``), so that none of them imports another for a path.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from justicework.dataio import readers, sealed
from justicework.dataio.models import FileFormat

EXTENSIONS: dict[str, str] = {
    FileFormat.CSV: ".csv",
    FileFormat.XLSX: ".xlsx",
    FileFormat.KOBO: ".json",
}


def upload_dir() -> Path:
    path = Path(settings.DATA_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_upload(
    chunks: Iterable[bytes], file_format: str, organisation_id: int
) -> tuple[Path, str, int]:
    """Write an upload to the import directory, sealed under a key of ``organisation_id``
    (``dataio.sealed``: the rows never lie on disk in clear), hashing the content and
    enforcing the size limit while streaming. Returns (path, sha256 of the content, size);
    ``FileProblem`` if it is too large or empty."""
    limit = readers.max_bytes()
    if file_format == FileFormat.KOBO:
        limit = min(limit, readers.max_json_bytes())
    path = upload_dir() / f"{uuid.uuid4().hex}{EXTENSIONS.get(file_format, '.bin')}"
    digest = hashlib.sha256()
    size = 0
    try:
        with path.open("wb") as out:
            sealing = sealed.SealingWriter(out, organisation_id)
            for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise readers.FileProblem(
                        _("The file is larger than the limit of %(limit)s bytes.")
                        % {"limit": f"{limit:,}"}
                    )
                digest.update(chunk)
                sealing.write(chunk)
            sealing.finish()
        if size == 0:
            raise readers.FileProblem(_("The file is empty."))
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path, digest.hexdigest(), size


def file_sha256(path: Path) -> str:
    """SHA-256 of the file's content (a sealed upload's plaintext, authenticated as read)."""
    digest = hashlib.sha256()
    with sealed.open_upload(path) as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()
