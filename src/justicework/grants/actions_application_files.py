"""Attaching files to a draft application (statutes, proof of registration, declaration of
honour...) and removing them; reading one back is audited. The checks and the storage (sealed
under the programme's organisation's data key) are ``grants.application_files``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from justicework.audit.chain import record
from justicework.core import policy
from justicework.core.models import User
from justicework.grants import application_files as files
from justicework.grants.models import Application, Attachment


def vault_of(application: Application) -> int:
    """The organisation whose data key seals the application's attachments: the programme's
    (the call's organisation; why, in ``grants.application_files``)."""
    return int(application.call.organisation_id)


def _audit(actor: User | None, event: str, attachment: Attachment) -> None:
    record(
        actor,
        f"grants.attachment.{event}",
        attachment,
        diff={"application": attachment.application_id, "kind": attachment.kind,
              "media_type": attachment.media_type, "size": attachment.size,
              "sha256": attachment.sha256},
        organisation_id=attachment.application.applicant.organisation_id,
    )  # fmt: skip


def add_attachment(
    actor: User | None,
    application: Application,
    *,
    kind: str,
    name: str,
    chunks: Iterable[bytes],
) -> Attachment:
    """Check and keep the file, then record it; a refused file leaves nothing behind and
    raises a ``ValidationError`` on ``file``."""
    if actor is not None:
        policy.require(actor, "change", application)
    if kind not in Attachment.Kind.values:
        raise ValidationError({"kind": _("Choose what the file is.")})
    try:
        received = files.receive(name, chunks, vault_of(application))
    except files.FileRefused as exc:
        raise ValidationError({"file": str(exc)}) from None
    try:
        files.keep(received)  # content-addressed, written once: safe outside the transaction
        with transaction.atomic():
            attachment = Attachment.objects.create(
                application=application, kind=kind, file_name=received.name,
                media_type=received.media_type, size=received.size, sha256=received.sha256,
                uploaded_by=actor,
            )  # fmt: skip
            _audit(actor, "added", attachment)
    finally:
        files.discard(received)
    return attachment


@transaction.atomic
def remove_attachment(actor: User | None, attachment: Attachment) -> None:
    """Forget an attachment of a draft (its file stays while another attachment holds it;
    :func:`remove_unused_files` removes it later)."""
    if actor is not None:
        policy.require(actor, "change", attachment)
    _audit(actor, "removed", attachment)
    attachment.delete()


def remove_unused_files() -> int:
    """Remove the stored files that no attachment holds any more (``grant_attachment_sweep``),
    one audit entry per organisation naming the contents removed; how many were removed."""
    referenced = {
        files.key_for(sha256, vault)
        for sha256, vault in Attachment.objects.values_list(
            "sha256", "application__call__organisation_id"
        )
    }
    removed = files.sweep_unreferenced(referenced)
    by_vault: dict[int, list[str]] = {}
    for key in removed:
        parts = key.split("/")  # sealed/<organisation>/ab/cd/<sha256>
        by_vault.setdefault(int(parts[1]), []).append(parts[-1])
    for vault, contents in sorted(by_vault.items()):
        record(
            None, "grants.attachment.files_removed", None, organisation_id=vault,
            object_type="grants.attachment", diff={"sha256": sorted(contents)},
        )  # fmt: skip
    return len(removed)


def open_attachment(actor: User | None, attachment: Attachment) -> IO[bytes]:
    """The file's plaintext, decrypted and checked against its SHA-256 before it is handed
    out, the reading audited (staff reading an applicant's documents). A stored file that fails
    the check raises ``AttachmentDamaged`` (audited as ``grants.attachment.damaged``)."""
    if actor is not None:
        policy.require(actor, "view", attachment)
    try:
        handle = files.open_verified(
            attachment.sha256, vault_of(attachment.application), attachment.file_name
        )
    except files.AttachmentDamaged:
        _audit(actor, "damaged", attachment)
        raise
    _audit(actor, "read", attachment)
    return handle
