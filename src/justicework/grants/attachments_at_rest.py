"""Sealing the attachments stored in clear before they were encrypted (migration
``grants.0004_seal_attachments``).

Before, an attachment's bytes were kept in clear under ``grants/originals/ab/cd/<sha256>``.
:func:`seal_plain_attachments` seals each attachment's file under its programme's organisation's
key (``grants.application_files``), all or nothing: a file missing, or no longer having the
SHA-256 its row records, stops the migration with a message naming the attachment, and the
sealed files this run made are removed again (the rows never changed, so the database needs no
rollback). Once every row is sealed and the migration's transaction commits, the whole
``originals/`` tree is removed: it also holds the bytes of attachments removed from drafts,
which nothing reads any more and which must not stay in clear.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import transaction

from justicework.grants import application_files as files

Log = Callable[[str], None]


class PlainAttachmentsRefused(RuntimeError):
    """An attachment stored in clear cannot be sealed (missing, or not its SHA-256)."""


def _plain_path_for(sha256: str) -> Path:
    return files.store().path_for(sha256)  # a bare SHA-256 names the clear originals/ab/cd/...


def seal_plain_attachments(attachment_model: Any, log: Log | None = None) -> int:
    """Seal the clear file of every attachment whose sealed file is not there yet; return how
    many files were sealed. Runs in the caller's transaction; removes ``originals/`` once it
    commits."""
    store, made = files.store(), []
    try:
        rows = attachment_model.objects.select_related("application__call").order_by("pk")
        for row in rows.iterator():
            vault = int(row.application.call.organisation_id)
            if store.exists(files.key_for(row.sha256, vault)):
                continue
            plain = _plain_path_for(row.sha256)
            if not plain.is_file():
                raise PlainAttachmentsRefused(
                    f"Attachment {row.pk} ({row.file_name}) of application "
                    f"{row.application_id}: its file {plain} is missing, so it cannot be sealed. "
                    "Restore the file from a backup, or remove the attachment, and migrate again."
                )
            try:
                if files.seal_stored_plain(plain, row.sha256, vault):
                    made.append(files.key_for(row.sha256, vault))
            except files.AttachmentDamaged as exc:
                raise PlainAttachmentsRefused(
                    f"Attachment {row.pk} ({row.file_name}): {exc} Restore the file from a "
                    "backup, or remove the attachment, and migrate again."
                ) from exc
    except BaseException:
        for key in made:  # no half state: the files this run sealed go again
            (store.root / key).unlink(missing_ok=True)
        raise
    if log is not None and made:
        log(f"Sealed {len(made)} attachment files; {store.root / 'originals'} goes at commit.")
    transaction.on_commit(remove_plain_originals)
    return len(made)


def remove_plain_originals() -> None:
    """Remove what was kept in clear (``grants/originals/``); nothing reads it any more."""
    shutil.rmtree(files.store().root / "originals", ignore_errors=True)


def unseal_attachments(attachment_model: Any) -> int:
    """Going back: write each attachment's plaintext in clear again (``originals/``), checked
    against its SHA-256; the sealed files stay (ciphertext)."""
    store, done = files.store(), 0
    incoming = files.incoming()
    for row in attachment_model.objects.select_related("application__call").order_by("pk"):
        vault = int(row.application.call.organisation_id)
        with files.open_verified(row.sha256, vault, row.file_name) as plain:
            part = incoming / f"{row.sha256}.unsealing"
            with part.open("wb") as out:
                shutil.copyfileobj(plain, out, 1 << 20)
                out.flush()
                os.fsync(out.fileno())
        try:
            done += int(store.put_once(store.key_for(row.sha256), part))
        finally:
            part.unlink(missing_ok=True)
    return done
