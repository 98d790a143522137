"""Uploads (tus): start, advance, finish into an item, terminate, expire.

Advancing (a PATCH's bytes) is not audited entry by entry: the audit log records the start,
the end (the item and its hashes, or the refusal) and a termination; the custody chain starts
with the item.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.audit.chain import record
from justicework.core import policy
from justicework.core.models import Organisation, User
from justicework.evidence import schemas
from justicework.evidence.actions.items import create_item
from justicework.evidence.intake import filetype, naming, quota
from justicework.evidence.intake.errors import ChecksumMismatch, IntakeError, TooLarge
from justicework.evidence.intake.hashing import StreamHasher
from justicework.evidence.models import Item, Upload
from justicework.evidence.storage import originals, store

S = Upload.Status


def _audit(actor: User, action: str, upload: Upload, diff: dict[str, Any]) -> None:
    record(
        actor, action, organisation_id=upload.organisation_id,
        object_type="evidence.upload", object_id=str(upload.pk), diff=diff,
    )  # fmt: skip


def expire_uploads(organisation: Organisation) -> int:
    """Mark the organisation's unfinished uploads past their expiry as expired and drop their
    bytes (they no longer count against the quota). Returns how many."""
    expired = _mark_expired(organisation)
    for pk in expired:
        store().discard_part(pk)
    return len(expired)


@transaction.atomic
def _mark_expired(organisation: Organisation) -> list[Any]:
    stale = list(
        Upload.objects.select_for_update().filter(
            organisation=organisation, status=S.RECEIVING, expires_at__lte=timezone.now()
        )
    )
    for upload in stale:
        upload.status = S.EXPIRED
        upload.save(update_fields=["status"])
        record(
            None, "evidence.upload.expired", organisation_id=upload.organisation_id,
            object_type="evidence.upload", object_id=str(upload.pk), diff={"offset": upload.offset},
        )  # fmt: skip
    return [upload.pk for upload in stale]


@transaction.atomic
def create_upload(
    actor: User, organisation: Organisation, *, length: int, metadata: Mapping[str, str]
) -> Upload:
    """Start an upload of ``length`` bytes. Refused with a clear message (nothing created) when
    the user may not upload here, the file is larger than allowed, it would pass the quota or a
    declared value is wrong (``ValidationError`` naming the key)."""
    policy.require(actor, "evidence.upload", organisation)
    limit = int(settings.EVIDENCE_MAX_UPLOAD_BYTES)
    if length < 0:
        raise IntakeError(_("The length of an upload cannot be negative."))
    if length > limit:
        raise TooLarge(
            _("This file is %(size)s bytes; the largest allowed is %(limit)s bytes.")
            % {"size": f"{length:,}", "limit": f"{limit:,}"}
        )
    intake = schemas.clean_metadata(metadata)
    expire_uploads(organisation)
    quota.check(organisation, length)
    sha256_state, sha512_state = StreamHasher().states()
    upload = Upload.objects.create(
        organisation=organisation, uploader=actor, length=length,
        sha256_state=sha256_state, sha512_state=sha512_state,
        metadata=intake.as_metadata(),
        expires_at=timezone.now() + dt.timedelta(hours=settings.EVIDENCE_UPLOAD_TTL_HOURS),
    )  # fmt: skip
    store().part_path(upload.pk).touch()
    _audit(actor, "evidence.upload.started", upload, {
        "length": length, "name": naming.neutralise(intake.filename),
        "declared_sha256": intake.sha256,
    })  # fmt: skip
    return upload


def advance_upload(
    actor: User, upload: Upload, *, offset: int, states: tuple[bytes, bytes]
) -> bool:
    """Record that the part file holds ``offset`` bytes (fsynced already) hashed into
    ``states``. False when another request moved the upload meanwhile (nothing written)."""
    policy.require(actor, "change", upload)
    moved = Upload.objects.filter(pk=upload.pk, offset=upload.offset, status=S.RECEIVING).update(
        offset=offset, sha256_state=states[0], sha512_state=states[1]
    )
    if moved:
        upload.offset, upload.sha256_state, upload.sha512_state = offset, *states
    return bool(moved)


def terminate_upload(actor: User, upload: Upload) -> None:
    """tus termination: the upload ends, its bytes are dropped (once that is recorded)."""
    _mark_terminated(actor, upload)
    store().discard_part(upload.pk)


@transaction.atomic
def _mark_terminated(actor: User, upload: Upload) -> None:
    policy.require(actor, "change", upload)
    if upload.status != S.RECEIVING:
        raise IntakeError(_("This upload is finished; there is nothing to terminate."), 410)
    upload.status = S.TERMINATED
    upload.save(update_fields=["status"])
    _audit(actor, "evidence.upload.terminated", upload, {"offset": upload.offset})


@transaction.atomic
def _refuse(actor: User, upload: Upload, problem: str) -> None:
    upload.status, upload.problem = S.REFUSED, problem[:500]
    upload.save(update_fields=["status", "problem"])
    _audit(actor, "evidence.upload.refused", upload, {"problem": problem[:500]})


def complete_upload(actor: User, upload: Upload) -> Item:
    """The last byte is in: compare the declared hash, find the type from the content, store
    the original (once for the same bytes) and create the item with its custody. A declared
    hash that does not match refuses the upload and keeps nothing (``ChecksumMismatch``)."""
    policy.require(actor, "change", upload)
    if upload.offset != upload.length or upload.status != S.RECEIVING:
        raise IntakeError(_("This upload is not complete."))
    digests = StreamHasher(bytes(upload.sha256_state), bytes(upload.sha512_state)).digests()
    intake = schemas.clean_metadata(upload.metadata)
    if intake.sha256 and intake.sha256 != digests.sha256:
        message = _(
            "The file received has SHA-256 %(got)s, not the %(declared)s declared: it was "
            "refused and nothing was kept. Upload the file again."
        ) % {"got": digests.sha256, "declared": intake.sha256}
        _refuse(actor, upload, message)
        store().discard_part(upload.pk)
        raise ChecksumMismatch(message)
    part = store().part_path(upload.pk)
    return _store_and_record(actor, upload, part, intake, digests.sha256, digests.sha512)


def _store_and_record(
    actor: User, upload: Upload, part: Path, intake: schemas.Intake, sha256: str, sha512: str
) -> Item:
    kind = filetype.detect(part)
    name = naming.neutralise(intake.filename)
    # stored once (sealed when EVIDENCE_ENCRYPT): an original stored already is left alone
    placed = originals.place(sha256, part, upload.organisation_id)
    with transaction.atomic():
        locked = Upload.objects.select_for_update().get(pk=upload.pk)
        if locked.status != S.RECEIVING:
            raise IntakeError(_("This upload is finished already."), 410)
        item = create_item(
            actor, upload.organisation,
            original={"sha256": sha256, "sha512": sha512, "size": upload.length,
                      "media_type": kind.media_type, "storage_key": placed.key,
                      "vault": placed.vault, "backend": placed.backend,
                      "lock_mode": placed.lock_mode, "retain_until": placed.retain_until},
            display_name=name, submitted_name=naming.escaped(intake.filename),
            extension_matches=kind.fits(naming.extension(name)), record_fields=intake.record,
            graphic=intake.graphic,
            received={"sha512": sha512, "size": upload.length, "upload": str(upload.pk),
                      "declared_sha256": intake.sha256},
        )  # fmt: skip
        locked.status, locked.item = S.COMPLETED, item
        locked.save(update_fields=["status", "item"])
        upload.status, upload.item = S.COMPLETED, item
        _audit(actor, "evidence.upload.completed", upload, {"item": item.pk, "sha256": sha256})
    store().discard_part(upload.pk)  # the original holds the bytes
    return item
