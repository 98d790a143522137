"""The instance's Ed25519 evidence-signing key: ``evidence-signing.key`` in the data directory
(created as ``justicework.keyfiles`` creates keys: once, mode 0600, never in the database), or
``JUSTICEWORK_EVIDENCE_SIGNING_KEY`` (or its ``_FILE``)."""

from __future__ import annotations

import base64
import binascii
import hashlib
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings

from justicework.config import env_str
from justicework.keyfiles import EVIDENCE_SIGNING_KEY_FILE, _random_key, _write_once

VARIABLE = "JUSTICEWORK_EVIDENCE_SIGNING_KEY"


class SigningKeyProblem(Exception):
    """The signing key is set but cannot be used (the message says why)."""


def private_key() -> Ed25519PrivateKey:
    raw = env_str(VARIABLE)
    if not raw:
        path = Path(settings.DATA_DIR) / EVIDENCE_SIGNING_KEY_FILE
        _write_once(path, _random_key())  # nothing happens when it exists
        raw = path.read_text(encoding="utf-8").strip()
    try:
        seed = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SigningKeyProblem(f"{VARIABLE} must be base64; it could not be decoded.") from exc
    if len(seed) != 32:
        raise SigningKeyProblem(f"{VARIABLE} must decode to 32 bytes; it decodes to {len(seed)}.")
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_pem() -> bytes:
    return (
        private_key()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )


def fingerprint() -> str:
    """SHA-256 of the raw public key, in hexadecimal (printed in manifests and on the web)."""
    raw = (
        private_key()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    return hashlib.sha256(raw).hexdigest()


def sign(data: bytes) -> bytes:
    return private_key().sign(data)
