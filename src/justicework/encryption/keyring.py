"""Envelope encryption (DESIGN 4.4).

Values are encrypted with AES-256-GCM under a per-organisation data key; data keys are stored
wrapped by the master key (``settings.MASTER_KEY``). Every ciphertext names its data key:

    jw1.<data key id>.<base64url(nonce ‖ ciphertext ‖ tag)>

and is bound (GCM associated data) to the key id and to the ``context`` it was written for
(``app.model.field``), so a value copied into another field does not decrypt.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import threading
import time
from collections.abc import Callable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone

from justicework.encryption.models import DataKey

PREFIX = "jw1"
NONCE_BYTES = 12
ACTIVE_KEY_TTL_SECONDS = 30.0
BLIND_INDEX_SCOPE = "blind-index"
#: Scopes whose first key is used for ever (rotating them would invalidate what they made).
FIXED_SCOPES = frozenset({BLIND_INDEX_SCOPE, "audit-checkpoint"})
MASTER_KEY_VARIABLE = "JUSTICEWORK_MASTER_KEY"


class EncryptionError(Exception):
    """A value could not be encrypted or decrypted."""


class MasterKeyMismatch(EncryptionError):
    """The configured master key is not the one that wrapped this database's data keys."""


def master_key_id(key: bytes) -> str:
    return hashlib.sha256(b"justicework-master-key-id:" + key).hexdigest()[:16]


def _master_keys() -> dict[str, bytes]:
    keys = {master_key_id(settings.MASTER_KEY): settings.MASTER_KEY}
    for old in settings.OLD_MASTER_KEYS:
        keys.setdefault(master_key_id(old), old)
    return keys


def wrap_key(raw: bytes, master: bytes | None = None) -> bytes:
    master = master or settings.MASTER_KEY
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(master).encrypt(nonce, raw, b"justicework-data-key")


def unwrap_key(wrapped: bytes, wrapped_by: str) -> bytes:
    master = _master_keys().get(wrapped_by)
    if master is None:
        raise MasterKeyMismatch(
            f"Data keys were wrapped by master key {wrapped_by}, but JUSTICEWORK_MASTER_KEY is "
            f"{master_key_id(settings.MASTER_KEY)}. Set the master key this database was created "
            "with (or add it to JUSTICEWORK_OLD_MASTER_KEYS while rotating)."
        )
    wrapped = bytes(wrapped)
    try:
        return AESGCM(master).decrypt(
            wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], b"justicework-data-key"
        )
    except InvalidTag as exc:
        raise MasterKeyMismatch(
            f"Master key {wrapped_by} (from {MASTER_KEY_VARIABLE} or "
            "JUSTICEWORK_OLD_MASTER_KEYS) failed to unwrap a data key: the key file or the "
            "database has been altered."
        ) from exc


class _Pending:
    """A data key inserted by a transaction that has not committed yet.

    Caching such a key like any other would be a data-loss bug: if the transaction rolls back,
    the key row is gone but a cache would keep encrypting with it (or, on SQLite, confuse it with
    a later key that reuses its id). So these cache entries are trusted only on the connection
    that made them while its transaction is still open, and become ordinary entries when it
    commits (``on_commit``). Rollback is noticed because Django drops the on-commit callbacks
    of a rolled-back transaction or savepoint.
    """

    def __init__(self) -> None:
        self.connection = connections[DEFAULT_DB_ALIAS]  # this thread's connection
        self.committed = False
        transaction.on_commit(self._commit)
        self._seen = self.connection.run_on_commit

    def _commit(self) -> None:
        self.committed = True

    def state(self) -> str:
        """``committed``, ``here`` (usable: same connection, still open), ``elsewhere``
        (another thread's open transaction) or ``rolled-back``."""
        if self.committed:
            return "committed"
        current = connections[DEFAULT_DB_ALIAS]
        if current is not self.connection:
            return "elsewhere"
        if current.in_atomic_block:
            if current.run_on_commit is self._seen:
                return "here"
            if any(entry[1] == self._commit for entry in current.run_on_commit):
                self._seen = current.run_on_commit
                return "here"
        return "rolled-back"


class Keyring:
    """Process-wide cache of unwrapped data keys. Thread-safe.

    Unwrapped keys are cached for the life of the process (a key's bytes never change; master-key
    rotation only re-wraps them). The active key of a scope is cached for
    ``ACTIVE_KEY_TTL_SECONDS``, so a data-key rotation made by another process is picked up
    within that time; ``keys rotate`` waits that long before its final pass. Keys created by a
    transaction that has not committed yet are cached with care (:class:`_Pending`).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_id: dict[int, bytes] = {}
        self._active: dict[str, tuple[int, float]] = {}
        self._fixed: dict[str, bytes] = {}
        self._ciphers: dict[int, AESGCM] = {}
        self._pending: dict[int, _Pending] = {}
        self._fixed_ids: dict[str, int] = {}

    def clear(self) -> None:
        with self._lock:
            self._by_id.clear()
            self._active.clear()
            self._fixed.clear()
            self._ciphers.clear()
            self._pending.clear()
            self._fixed_ids.clear()

    def mark_pending(self, key_id: int) -> None:
        """``key_id`` was just inserted inside a transaction that is still open."""
        with self._lock:
            self._pending[key_id] = _Pending()

    def _usable(self, key_id: int) -> bool:
        """May a cache entry naming ``key_id`` be used by this thread now? Forgets keys whose
        transaction rolled back."""
        pending = self._pending.get(key_id)
        if pending is None:
            return True
        state = pending.state()
        if state == "committed":
            with self._lock:
                self._pending.pop(key_id, None)
            return True
        if state == "here":
            return True
        if state == "rolled-back":
            self._forget(key_id)
        return False

    def _forget(self, key_id: int) -> None:
        with self._lock:
            self._pending.pop(key_id, None)
            self._by_id.pop(key_id, None)
            self._ciphers.pop(key_id, None)
            for scope, (active_id, _expiry) in list(self._active.items()):
                if active_id == key_id:
                    del self._active[scope]
            for scope, fixed_id in list(self._fixed_ids.items()):
                if fixed_id == key_id:
                    del self._fixed_ids[scope]
                    self._fixed.pop(scope, None)

    def forget_active(self, scope: str) -> None:
        """Look the active key of ``scope`` up again next time (after a rotation here)."""
        with self._lock:
            self._active.pop(scope, None)

    def cipher(self, key_id: int) -> AESGCM:
        """An AES-GCM object for the data key (kept: building one costs more than a short
        encryption; the object holds no per-message state, so threads share it)."""
        aead = self._ciphers.get(key_id)
        if aead is not None and self._usable(key_id):
            return aead
        aead = AESGCM(self.key(key_id))
        if key_id not in self._pending:
            with self._lock:
                self._ciphers[key_id] = aead
        return aead

    def key(self, key_id: int) -> bytes:
        raw = self._by_id.get(key_id)
        if raw is not None and self._usable(key_id):
            return raw
        try:
            data_key = DataKey.objects.get(pk=key_id)
        except DataKey.DoesNotExist as exc:
            raise EncryptionError(f"Data key {key_id} does not exist.") from exc
        raw = unwrap_key(bytes(data_key.wrapped_key), data_key.master_key_id)
        if self._usable(key_id):
            with self._lock:
                self._by_id[key_id] = raw
        return raw

    def active_key_id(self, scope: str) -> int:
        cached = self._active.get(scope)
        if cached is not None and cached[1] > time.monotonic() and self._usable(cached[0]):
            return cached[0]
        key_id = _active_key_id_in_db(scope)
        if key_id is None:
            key_id = _first_key(scope)
        if self._usable(key_id):
            with self._lock:
                self._active[scope] = (key_id, time.monotonic() + ACTIVE_KEY_TTL_SECONDS)
        return key_id

    def fixed_key(self, scope: str) -> bytes:
        """The first key of ``scope``, used for ever (blind indexes, checkpoint signing).
        One query the first time, none after."""
        raw = self._fixed.get(scope)
        if raw is not None and self._usable(self._fixed_ids[scope]):
            return raw
        first = (
            DataKey.objects.filter(scope=scope).order_by("id").values_list("pk", flat=True).first()
        )
        key_id = first if first is not None else _first_key(scope)
        raw = self.key(key_id)
        if self._usable(key_id):
            with self._lock:
                self._fixed[scope] = raw
                self._fixed_ids[scope] = key_id
        return raw


keyring = Keyring()


def _active_key_id_in_db(scope: str) -> int | None:
    return (
        DataKey.objects.filter(scope=scope, retired_at__isnull=True)
        .order_by("-id")
        .values_list("pk", flat=True)
        .first()
    )


def existing_active_key_id(scope: str) -> int | None:
    """The active data key of ``scope`` if it has one (one query; creates nothing, unlike
    :meth:`Keyring.active_key_id`)."""
    return _active_key_id_in_db(scope)


def _lock_scope(scope: str) -> None:
    """Serialise key creation for ``scope`` across processes. SQLite transactions here begin
    IMMEDIATE (settings), which already serialises writers."""
    if connection.vendor == "postgresql":
        lock = int.from_bytes(hashlib.sha256(scope.encode()).digest()[:8], "big", signed=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock])


def _first_key(scope: str) -> int:
    """The active key of ``scope``, created if the scope has none — exactly once even when
    several processes ask at the same moment (otherwise two blind-index keys could exist)."""
    outer = connection.in_atomic_block
    with transaction.atomic():
        _lock_scope(scope)
        key_id = _active_key_id_in_db(scope)
        if key_id is None:
            key_id = _insert_data_key(scope).pk
            if outer:
                keyring.mark_pending(key_id)
    return key_id


def _insert_data_key(scope: str) -> DataKey:
    raw = AESGCM.generate_key(bit_length=256)
    return DataKey.objects.create(
        scope=scope,
        wrapped_key=wrap_key(raw),
        master_key_id=master_key_id(settings.MASTER_KEY),
    )


def create_data_key(scope: str) -> DataKey:
    """Create and store a new data key for ``scope``; earlier keys of the scope are retired
    (they still decrypt the values that name them)."""
    if scope in FIXED_SCOPES and DataKey.objects.filter(scope=scope).exists():
        raise EncryptionError(f"The {scope} key is never rotated: that would invalidate its uses.")
    outer = connection.in_atomic_block
    with transaction.atomic():
        _lock_scope(scope)
        DataKey.objects.filter(scope=scope, retired_at__isnull=True).update(
            retired_at=timezone.now()
        )
        data_key = _insert_data_key(scope)
        if outer:
            keyring.mark_pending(data_key.pk)
    keyring.forget_active(scope)
    return data_key


def org_scope(organisation_id: int) -> str:
    return f"org:{organisation_id}"


def _aad(key_id: int, context: str) -> bytes:
    return f"{PREFIX}|{key_id}|{context}".encode()


def encrypt(plaintext: bytes, scope: str, context: str) -> Ciphertext:
    key_id = keyring.active_key_id(scope)
    return encrypt_with(plaintext, key_id, context)


def encrypt_with(plaintext: bytes, key_id: int, context: str) -> Ciphertext:
    nonce = os.urandom(NONCE_BYTES)
    sealed = keyring.cipher(key_id).encrypt(nonce, plaintext, _aad(key_id, context))
    body = base64.urlsafe_b64encode(nonce + sealed).decode("ascii").rstrip("=")
    return Ciphertext(f"{PREFIX}.{key_id}.{body}")


def encryptor(scope: str, context: str, key_id: int | None = None) -> Callable[[bytes], Ciphertext]:
    """``encrypt(plaintext, scope, context)`` for a batch: the active key (or ``key_id``), its
    AES-GCM object and the associated data are looked up once (use it for one batch, e.g. an
    insert, not across a key rotation)."""
    if key_id is None:
        key_id = keyring.active_key_id(scope)
    aead = keyring.cipher(key_id)
    aad = _aad(key_id, context)
    head = f"{PREFIX}.{key_id}."
    urandom, b64 = os.urandom, base64.urlsafe_b64encode

    def seal(plaintext: bytes) -> Ciphertext:
        nonce = urandom(NONCE_BYTES)
        body = b64(nonce + aead.encrypt(nonce, plaintext, aad)).decode("ascii").rstrip("=")
        return Ciphertext(head + body)

    return seal


def key_id_of(token: str) -> int:
    try:
        prefix, key_id, _body = token.split(".", 2)
        if prefix != PREFIX:
            raise ValueError(prefix)
        return int(key_id)
    except ValueError as exc:
        raise EncryptionError("Not a JusticeWork ciphertext.") from exc


def decrypt(token: str, context: str) -> bytes:
    key_id = key_id_of(token)
    body = token.split(".", 2)[2]
    try:
        blob = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError) as exc:
        raise EncryptionError(f"A value for {context} is not valid ciphertext.") from exc
    aead = keyring.cipher(key_id)
    try:
        return aead.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], _aad(key_id, context))
    except (InvalidTag, ValueError) as exc:
        raise EncryptionError(
            f"A value for {context} failed authentication with data key {key_id}: it was altered "
            "or copied from elsewhere."
        ) from exc


class Ciphertext(str):
    """A string known to be ciphertext (or a ciphertext prefix for a ``startswith`` look-up).

    Encrypted fields pass a ``Ciphertext`` through unchanged, so key rotation can move stored
    values without decrypting them into model instances. A plain ``str`` is always treated as
    plaintext, even when it looks like ``jw1.…``: user input can never bypass encryption.
    """

    __slots__ = ()


def is_ciphertext(value: object) -> bool:
    """Does ``value`` have the shape of a JusticeWork ciphertext? (Shape only; see
    :class:`Ciphertext` for what fields trust.)"""
    return isinstance(value, str) and value.startswith(PREFIX + ".")


def blind_index_key() -> bytes:
    """The platform-wide blind-index key: the first key of its scope, never rotated (rotating it
    would change every index). Master-key rotation re-wraps it like any other data key.
    Cached in the keyring: no query after the first call."""
    return keyring.fixed_key(BLIND_INDEX_SCOPE)


_HMAC_BASES: dict[bytes, hmac.HMAC] = {}


def hmac_hex(key: bytes, normalised: str, kind: str) -> str:
    # The keyed state is built once per key and copied (the key schedule is most of the cost
    # of a short message); the result is the same as ``hmac.new(key, message, sha256)``.
    base = _HMAC_BASES.get(key)
    if base is None:
        if len(_HMAC_BASES) > 8:
            _HMAC_BASES.clear()
        base = _HMAC_BASES[key] = hmac.new(key, digestmod=hashlib.sha256)
    digest = base.copy()
    digest.update(f"{kind}\x1f{normalised}".encode())
    return digest.hexdigest()[:32]
