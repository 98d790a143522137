"""Putting an original in the store and reading it back as plaintext, encrypted or not.

**Encryption and content addressing.** With ``EVIDENCE_ENCRYPT`` off, an original is stored
once per content (``originals/ab/cd/<sha256>``) whoever uploads it. With it on, the bytes are
sealed under the data key of the organisation whose upload brought them and stored once per
content *and organisation* (``sealed/<organisation id>/ab/cd/<sha256>``; an ``Original`` row
each, ``Original.vault``). Sharing one sealed object between organisations would mean reading
one organisation's evidence with another's key: a key rotation, a key destroyed (to make the
data unreadable) or a removal by one organisation would reach the other's evidence, and the key
of one would decrypt what the other holds. Deduplication therefore stays within an
organisation once encryption is on; plain originals stored before it was switched on stay as
they are (and are still shared by content).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from django.conf import settings

from justicework.evidence.storage import sealing, store

if TYPE_CHECKING:
    from justicework.evidence.models import Original

OriginalDamaged = sealing.OriginalDamaged


@dataclass(frozen=True)
class Placed:
    """Where an original's bytes are, as recorded on its ``Original`` row."""

    key: str
    vault: int | None  # the organisation whose data key seals it; None: plain
    backend: str
    lock_mode: str
    retain_until: dt.datetime | None


def vault_for(organisation_id: int) -> int | None:
    """The organisation whose key seals a new original it uploads (None: stored plain)."""
    return organisation_id if settings.EVIDENCE_ENCRYPT else None


def place(sha256: str, part: Path, organisation_id: int) -> Placed:
    """Store the finished part file (fsynced; hashed as it arrived) as the original ``sha256``
    of an upload of ``organisation_id``, once: an original already stored is left as it is."""
    stored = store()
    vault = vault_for(organisation_id)
    key = stored.key_for(sha256, vault)
    if vault is None:
        stored.put_once(key, part)
    elif not stored.exists(key):
        sealed = part.with_suffix(".sealed")
        try:
            sealing.seal_file(part, sealed, vault)
            stored.put_once(key, sealed)
        finally:
            sealed.unlink(missing_ok=True)
    mode, until = stored.retention(key)
    return Placed(key, vault, stored.backend, mode, until)


def open_original(original: Original) -> IO[bytes]:
    """The original's plaintext as a seekable binary file (decrypted and authenticated chunk
    by chunk when it is sealed: ``OriginalDamaged`` names it when its bytes were changed).
    ``FileNotFoundError`` when it is not in the store."""
    stored = store().open(original.storage_key)
    if original.vault_id is None:
        return stored
    return sealing.open_sealed(stored, original.sha256, original.vault_id)
