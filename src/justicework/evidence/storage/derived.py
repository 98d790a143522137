"""Putting a derivative (thumbnail, preview, stripped copy) in the store and reading it back
as plaintext, on either backend.

A derivative is made from its original's plaintext, so it is as sensitive as the original: the
derivative of a sealed original is sealed under the same organisation's key
(``sealed/<organisation id>/derivatives/ab/cd/<sha256>``, context ``evidence.derivative``); that
of a plain original is stored plain (``derivatives/ab/cd/<sha256>``). Either way the SHA-256,
the size and the key name the plaintext, and each is written once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from justicework.evidence.storage import sealing, store

if TYPE_CHECKING:
    from justicework.evidence.models import Derivative


@dataclass(frozen=True)
class Kept:
    sha256: str  # of the plaintext
    size: int
    key: str


def keep(data: bytes, vault: int | None) -> Kept:
    """Store the derivative ``data`` of an original sealed for ``vault`` (None: plain), once."""
    sha256 = hashlib.sha256(data).hexdigest()
    stored = store()
    key = stored.derivative_key(sha256, vault)
    if vault is None:
        stored.put_derivative(key, data)
    elif not stored.derivative_exists(key):  # sealing again would only be thrown away
        stored.put_derivative(key, sealing.seal_bytes(data, vault))
    return Kept(sha256, len(data), key)


def open_derivative(derivative: Derivative) -> IO[bytes]:
    """The derivative's plaintext (decrypted and authenticated when its original is sealed:
    ``OriginalDamaged`` when its stored bytes were changed); ``FileNotFoundError`` when it is
    not in the store."""
    stored = store().open_derivative(derivative.storage_key)
    vault = derivative.original.vault_id
    if vault is None:
        return stored
    return sealing.open_sealed(stored, derivative.sha256, vault, sealing.DERIVATIVE)
