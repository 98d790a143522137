"""Storing a whole file the server itself brought in (a web capture, a bulk ingest) as an
evidence item, through the same steps as a finished upload: the quota, the type from the
content, the neutralised name, the content-addressed original (stored once), the item with
its collection record and custody ("collected", "received", then any further entries given).
The original is placed by ``storage.originals.place``, as a finished upload's is: in the chosen
backend (local files or S3), sealed under the organisation's key when encryption is on.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.db import transaction

from justicework.core.actors import Actor
from justicework.core.models import Organisation
from justicework.evidence.actions.custody import append_custody
from justicework.evidence.actions.items import create_item
from justicework.evidence.intake import filetype, naming, quota
from justicework.evidence.intake.hashing import Digests
from justicework.evidence.models import Item, Original
from justicework.evidence.storage.originals import place


def check_room(organisation: Organisation, sha256: str, size: int) -> None:
    """Refuse (``OverQuota``) bytes that would pass the quota; bytes the organisation holds
    already take no more room."""
    held = Original.objects.filter(sha256=sha256, items__organisation=organisation).exists()
    if not held:
        quota.check(organisation, size)


def store_file(
    actor: Actor,
    organisation: Organisation,
    path: Path,
    *,
    digests: Digests,
    size: int,
    name: str,
    record_fields: dict[str, Any],
    received: dict[str, Any],
    custody: Sequence[tuple[str, dict[str, Any]]] = (),
) -> Item:
    """The item holding the whole, fsynced file at ``path`` (hashed while it was written:
    ``digests``). The file is stored once and left in place for the caller."""
    check_room(organisation, digests.sha256, size)
    kind = filetype.detect(path)
    display = naming.neutralise(name)
    placed = place(digests.sha256, path, organisation.pk)  # stored already: left as it is
    with transaction.atomic():
        item = create_item(
            actor, organisation,
            original={"sha256": digests.sha256, "sha512": digests.sha512, "size": size,
                      "media_type": kind.media_type, "storage_key": placed.key,
                      "vault": placed.vault, "backend": placed.backend,
                      "lock_mode": placed.lock_mode, "retain_until": placed.retain_until},
            display_name=display, submitted_name=naming.escaped(name),
            extension_matches=kind.fits(naming.extension(display)), record_fields=record_fields,
            received={"sha512": digests.sha512, "size": size, **received},
        )  # fmt: skip
        for event, detail in custody:
            append_custody(actor, item, event, detail)
    return item
