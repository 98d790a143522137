"""Field encryption: encrypted-field rates against raw AES-256-GCM on the same bytes.

* ``encrypt_field``: what ``EncryptedTextField.pre_save`` does per value — convert, look up the
  organisation's active data key (cached), AES-256-GCM with a fresh nonce bound to key id and
  field, base64 token. Baseline: ``AESGCM.encrypt`` with a fresh nonce, same plaintexts.
* ``decrypt_field``: what ``from_db_value`` does per value. Baseline: ``AESGCM.decrypt``.
* ``blind_index``: normalise and keyed HMAC-SHA-256. Baseline: ``hmac`` SHA-256 of the same
  (un-normalised) bytes.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from faker import Faker

from benchmarks import figure, rate, size
from justicework.encryption import keyring
from justicework.encryption.fields import EncryptedTextField, blind_index

CONTEXT = "bench.person.full_name"


def run() -> list[dict[str, Any]]:
    count = size(50000, 5000)
    fake = Faker(["en_GB", "fr_FR", "ru_RU", "ar_AA"])
    Faker.seed(7)
    values = [f"{fake.name()} | {fake.address()}" for _ in range(count)]
    field = EncryptedTextField()
    plaintexts = [field.to_bytes(v) for v in values]
    scope = keyring.org_scope(1)
    keyring.encrypt(b"warm the key cache", scope, CONTEXT)
    tokens: list[str] = []

    def encrypt_field() -> None:
        tokens.clear()
        for value in values:
            tokens.append(keyring.encrypt(field.to_bytes(value), scope, CONTEXT))

    raw_key = AESGCM.generate_key(bit_length=256)
    aes = AESGCM(raw_key)
    sealed: list[tuple[bytes, bytes]] = []

    def encrypt_raw() -> None:
        sealed.clear()
        for data in plaintexts:
            nonce = os.urandom(12)
            sealed.append((nonce, aes.encrypt(nonce, data, None)))

    def decrypt_field() -> None:
        for token in tokens:
            field.from_bytes(keyring.decrypt(token, CONTEXT))

    def decrypt_raw() -> None:
        for nonce, blob in sealed:
            aes.decrypt(nonce, blob, None)

    results = [
        figure(
            "encrypt_field",
            rate(encrypt_field, count),
            "values/s",
            "raw_aes_256_gcm_encrypt",
            rate(encrypt_raw, count),
            values=count,
            mean_bytes=round(sum(map(len, plaintexts)) / count),
        )
    ]
    results.append(
        figure(
            "decrypt_field",
            rate(decrypt_field, count),
            "values/s",
            "raw_aes_256_gcm_decrypt",
            rate(decrypt_raw, count),
            values=count,
        )
    )
    index_key = keyring.blind_index_key()

    def blind() -> None:
        for value in values:
            blind_index(value, "name")

    def raw_hmac() -> None:
        for data in plaintexts:
            hmac.new(index_key, data, hashlib.sha256).hexdigest()

    results.append(
        figure(
            "blind_index",
            rate(blind, count),
            "values/s",
            "raw_hmac_sha256",
            rate(raw_hmac, count),
            values=count,
        )
    )
    return results
