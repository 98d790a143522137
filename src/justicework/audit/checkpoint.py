"""Signed checkpoints: anchor the head of the audit chain outside the database.

``verify_chain`` proves the chain is internally consistent, but someone who can write to the
database could rebuild the whole chain (the hash is not keyed) or cut off its newest entries.
A checkpoint is the head (``seq``, ``hash``, time) signed with Ed25519 and kept elsewhere (a
ticket, an e-mail to the board, a printed page). Later, ``audit verify --checkpoint FILE`` checks
the signature and that the chain still holds that exact entry: a rebuilt or truncated chain fails.

The signing key is a data key of the fixed scope ``audit-checkpoint`` (wrapped by the master key,
never rotated); its public half is in every checkpoint, so a third party can check signatures.
``audit checkpoint`` creates it on first use; checking a checkpoint never does (:func:`check`
fails instead: a missing key means the keys table lost it, or this is not the instance that
signed the checkpoint).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.utils import timezone

from justicework.audit.chain import GENESIS_HASH, canonical_json, head
from justicework.audit.models import AuditEntry
from justicework.encryption.keyring import keyring
from justicework.encryption.models import DataKey

FORMAT = "justicework-audit-checkpoint/1"
SCOPE = "audit-checkpoint"
SIGNED_FIELDS = ("format", "seq", "hash", "entry_time", "exported_at", "public_key")


class CheckpointError(Exception):
    """A checkpoint file is malformed, its signature is wrong, or the chain lost its head."""


def has_signing_key() -> bool:
    """Whether this installation has a checkpoint signing key (looked up, never created)."""
    return DataKey.objects.filter(scope=SCOPE).exists()


def signing_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(keyring.fixed_key(SCOPE))


def public_key_hex(key: Ed25519PublicKey | None = None) -> str:
    key = key or signing_key().public_key()
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


def make_checkpoint() -> dict[str, Any]:
    """The signed head of the chain (an empty chain gives ``seq`` 0 and the genesis hash)."""
    entry = head()
    private = signing_key()
    payload: dict[str, Any] = {
        "format": FORMAT,
        "seq": entry.seq if entry else 0,
        "hash": entry.hash if entry else GENESIS_HASH,
        "entry_time": entry.created_at.astimezone(dt.UTC).isoformat() if entry else None,
        "exported_at": timezone.now().astimezone(dt.UTC).isoformat(),
        "public_key": public_key_hex(private.public_key()),
    }
    signature = private.sign(canonical_json(payload))
    return {**payload, "signature": base64.b64encode(signature).decode("ascii")}


@dataclass
class CheckpointResult:
    ok: bool
    seq: int
    problem: str = ""


def parse(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CheckpointError(f"the checkpoint is not JSON ({exc.msg}).") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise CheckpointError(f"the checkpoint is not in the {FORMAT} format.")
    missing = [name for name in (*SIGNED_FIELDS, "signature") if name not in data]
    if missing:
        raise CheckpointError(f"the checkpoint lacks {', '.join(missing)}.")
    if not isinstance(data["seq"], int) or data["seq"] < 0:
        raise CheckpointError("the checkpoint's seq is not a whole number.")
    return data


def check(data: dict[str, Any]) -> CheckpointResult:
    """Check a parsed checkpoint's signature (against this installation's key) and that the
    chain still holds its head entry. Run :func:`audit.verify.verify_chain` as well: this only
    proves the anchored entry is still there, unchanged."""
    seq = int(data["seq"])
    if not has_signing_key():
        return CheckpointResult(
            False,
            seq,
            "this installation has no checkpoint signing key, so it cannot have signed this "
            "checkpoint (the key was removed from the database, or this is another instance). "
            "No key was created.",
        )
    ours = public_key_hex()
    if data["public_key"] != ours:
        return CheckpointResult(
            False, seq, "the checkpoint was signed by another key, not this installation's."
        )
    payload = {name: data[name] for name in SIGNED_FIELDS}
    try:
        signature = base64.b64decode(str(data["signature"]), validate=True)
        signing_key().public_key().verify(signature, canonical_json(payload))
    except (InvalidSignature, ValueError):
        return CheckpointResult(False, seq, "the checkpoint's signature is not valid.")
    if seq == 0:
        return CheckpointResult(True, 0)
    stored = AuditEntry.objects.filter(seq=seq).values_list("hash", flat=True).first()
    if stored is None:
        return CheckpointResult(
            False, seq, f"entry #{seq} of the checkpoint is no longer in the chain."
        )
    if stored != data["hash"]:
        return CheckpointResult(
            False, seq, f"entry #{seq} no longer has the checkpoint's hash: the chain was rebuilt."
        )
    return CheckpointResult(True, seq)
