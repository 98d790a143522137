"""Second factors sealed at rest (allauth's ``mfa_authenticator.data``).

allauth passes every secret it stores through its MFA adapter's ``encrypt``/``decrypt`` hooks
(``core.adapters.MFAAdapter``): the TOTP secret (``data["secret"]``), the recovery-code seed
(``data["seed"]``) and codes migrated from another system (``data["migrated_codes"]``, a list).
Those values are sealed here with the platform's envelope encryption under the platform-wide
``accounts`` data key (users are not bound to one organisation), context
``mfa.authenticator.data``. WebAuthn data (a public key credential) holds no secret.

``decrypt`` refuses a value that is not JusticeWork ciphertext: someone able to write the
database but without the keys cannot plant a second factor they know.

Key rotation (``keys rotate --data-keys``) gives the ``accounts`` scope a new data key like an
organisation's and re-encrypts these values (:func:`reencrypt`); ``keys rotate --master``
re-wraps its key with the others. :func:`seal_plaintext_rows` encrypts rows written before this
module existed (the ``core`` data migration); it recognises values already sealed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from django.db import models, transaction

from justicework.encryption import keyring

SCOPE = "accounts"
CONTEXT = "mfa.authenticator.data"
#: Keys of ``Authenticator.data`` holding one secret string each.
SECRET_KEYS = ("secret", "seed")
#: Keys of ``Authenticator.data`` holding a list of secret strings.
SECRET_LIST_KEYS = ("migrated_codes",)
LABEL = "mfa.authenticator"


class MFASecretInClear(keyring.EncryptionError):
    """A stored second factor is not sealed (written by hand, or before the migration)."""


def seal(text: str, key_id: int | None = None) -> str:
    """Encrypt one secret (under the ``accounts`` scope's active key, or ``key_id``)."""
    if key_id is None:
        key_id = keyring.keyring.active_key_id(SCOPE)
    return str(keyring.encrypt_with(text.encode("utf-8"), key_id, CONTEXT))


def unseal(token: str) -> str:
    """Decrypt one secret; refuse anything that is not JusticeWork ciphertext."""
    if not keyring.is_ciphertext(token):
        raise MFASecretInClear(
            "A second factor in mfa_authenticator is stored in clear; it is refused. Run "
            "`justicework migrate` (core 0003 seals such rows) or remove the authenticator."
        )
    return keyring.decrypt(token, CONTEXT).decode("utf-8")


def _map_secrets(data: Any, change: Callable[[str], str | None]) -> tuple[Any, int]:
    """``data`` with every secret value ``v`` replaced by ``change(v)`` (kept when it returns
    None); returns the new data and how many values changed. ``data`` is not modified."""
    if not isinstance(data, dict):
        return data, 0
    new = dict(data)
    changed = 0
    for key in SECRET_KEYS:
        value = new.get(key)
        if isinstance(value, str):
            replaced = change(value)
            if replaced is not None:
                new[key] = replaced
                changed += 1
    for key in SECRET_LIST_KEYS:
        values = new.get(key)
        if isinstance(values, list):
            items = []
            for value in values:
                replaced = change(value) if isinstance(value, str) else None
                changed += replaced is not None
                items.append(value if replaced is None else replaced)
            new[key] = items
    return new, changed


def _authenticator() -> type[models.Model]:
    from allauth.mfa.models import Authenticator

    model: type[models.Model] = Authenticator
    return model


def seal_plaintext_rows(model: type[models.Model] | None = None, batch_size: int = 200) -> int:
    """Seal every secret stored in clear; return how many values were sealed. Idempotent.

    ``model`` is the (historical) ``Authenticator`` model in a migration."""
    return _rewrite_rows(
        model or _authenticator(),
        lambda value: None if keyring.is_ciphertext(value) else seal(value),
        batch_size,
    )


def unseal_rows(model: type[models.Model] | None = None, batch_size: int = 200) -> int:
    """The reverse of :func:`seal_plaintext_rows` (for un-applying the migration only)."""
    return _rewrite_rows(
        model or _authenticator(),
        lambda value: unseal(value) if keyring.is_ciphertext(value) else None,
        batch_size,
    )


def _rewrite_rows(
    model: type[models.Model], change: Callable[[str], str | None], batch_size: int
) -> int:
    done = 0
    last = 0
    while True:
        with transaction.atomic():
            rows = list(
                model._base_manager.select_for_update()
                .filter(pk__gt=last)
                .order_by("pk")
                .only("pk", "data")[:batch_size]
            )
            if not rows:
                return done
            for row in rows:
                new, changed = _map_secrets(row.data, change)  # type: ignore[attr-defined]
                if changed:
                    row.data = new  # type: ignore[attr-defined]
                    row.save(update_fields=["data"])
                    done += changed
            last = rows[-1].pk


def plaintext_count(model: type[models.Model] | None = None) -> int:
    """How many secrets are stored in clear (0 after the migration)."""
    model = model or _authenticator()
    count = 0
    for data in model._base_manager.values_list("data", flat=True).iterator():
        count += _map_secrets(data, lambda v: None if keyring.is_ciphertext(v) else v)[1]
    return count


def scope_in_use() -> bool:
    from justicework.encryption.models import DataKey

    return DataKey.objects.filter(scope=SCOPE).exists()


def reencrypt(
    target: int | None, *, fix: bool, batch_size: int = 500, log: Callable[[str], None] | None
) -> tuple[int, int, int]:
    """Move every sealed secret not on key ``target`` (the scope's newest) onto it.

    Returns ``(values still elsewhere or moved, rows rewritten, batches)``. Without ``fix``,
    only counts. Each batch is one short transaction holding its rows locked (allauth locks an
    authenticator the same way before marking a recovery code used), with one audit entry."""
    from justicework.audit.chain import record

    if target is None:
        return 0, 0, 0
    model = _authenticator()
    stale = rows_done = batches = 0
    last = 0
    while True:
        with transaction.atomic():
            query = model._base_manager.filter(pk__gt=last).order_by("pk").only("pk", "data")
            rows = list((query.select_for_update() if fix else query)[:batch_size])
            if not rows:
                return stale, rows_done, batches
            moved: Counter[int] = Counter()
            changed_rows = 0
            for row in rows:
                data = row.data  # type: ignore[attr-defined]
                new, changed = _map_secrets(data, _mover(target, moved, fix))
                stale += changed
                if changed and fix:
                    row.data = new  # type: ignore[attr-defined]
                    row.save(update_fields=["data"])
                    changed_rows += 1
            if changed_rows:
                record(
                    None,
                    "encryption.values.reencrypted",
                    object_type=LABEL,
                    diff={
                        "rows": changed_rows,
                        "first_pk": str(rows[0].pk),
                        "last_pk": str(rows[-1].pk),
                        "from_key_ids": sorted(moved),
                        "to_key_ids": [target],
                    },
                )
                rows_done += changed_rows
                batches += 1
                if log:
                    log(f"{LABEL}: re-encrypted {rows_done} rows")
            last = rows[-1].pk


def _mover(target: int, moved: Counter[int], fix: bool) -> Callable[[str], str | None]:
    def change(value: str) -> str | None:
        if not keyring.is_ciphertext(value):
            return None  # in clear: the migration's job, not rotation's
        key_id = keyring.key_id_of(value)
        if key_id == target:
            return None
        moved[key_id] += 1
        return seal(unseal(value), target) if fix else value

    return change
