"""Key rotation while the application keeps serving (DESIGN 4.4).

* :func:`rewrap_master` — after ``JUSTICEWORK_MASTER_KEY`` was replaced (the old one listed in
  ``JUSTICEWORK_OLD_MASTER_KEYS``), re-wrap every data key under the new master key. Values are
  untouched: the data keys' bytes do not change.
* :func:`rotate_data_keys` — give every organisation scope (and the ``accounts`` scope of second
  factors, ``encryption.mfa``) a new data key and re-encrypt every encrypted value of every model
  and every sealed MFA secret, in batches of ``batch_size`` rows, each batch a short
  transaction with one audit entry (counts and key ids, never values). A row is only replaced if
  it still holds the ciphertext that was read (a concurrent edit wins; the next pass takes it).
  Re-running continues an interrupted rotation: a scope whose values are still partly on
  retired keys gets no new key, and values already on their scope's newest key are skipped.

Values are moved as :class:`~justicework.encryption.keyring.Ciphertext` through
``QuerySet.update``, so model instances, ``save()`` and signals are not involved.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models.functions import Cast

from justicework.audit.chain import record
from justicework.encryption import keyring, mfa
from justicework.encryption.fields import EncryptedField
from justicework.encryption.models import DataKey

Log = Callable[[str], None]


def encrypted_models() -> dict[type[models.Model], list[EncryptedField]]:
    """Every concrete model with encrypted fields, from the app registry."""
    found: dict[type[models.Model], list[EncryptedField]] = {}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedField)]
        if fields:
            found[model] = fields
    return found


# --- master key --------------------------------------------------------------------------------


def rewrap_master(batch_size: int = 100, log: Log | None = None) -> int:
    """Re-wrap every data key not wrapped by the current master key; return how many."""
    current = keyring.master_key_id(settings.MASTER_KEY)
    done = 0
    while True:
        with transaction.atomic():
            rows = list(
                DataKey.objects.exclude(master_key_id=current)
                .order_by("id")
                .values_list("pk", "wrapped_key", "master_key_id")[:batch_size]
            )
            if not rows:
                return done
            for pk, wrapped, wrapped_by in rows:
                raw = keyring.unwrap_key(bytes(wrapped), wrapped_by)
                DataKey.objects.filter(pk=pk, master_key_id=wrapped_by).update(
                    wrapped_key=keyring.wrap_key(raw), master_key_id=current
                )
            record(
                None,
                "encryption.data_keys.rewrapped",
                object_type="encryption.datakey",
                diff={
                    "data_key_ids": [pk for pk, _w, _m in rows],
                    "from_master_key_ids": sorted({m for _p, _w, m in rows}),
                    "to_master_key_id": current,
                },
            )
        done += len(rows)
        if log:
            log(f"re-wrapped {done} data keys under master key {current}")


# --- data keys ---------------------------------------------------------------------------------


@dataclass
class PassResult:
    #: Values moved to their scope's newest key, per model label.
    reencrypted: Counter[str] = field(default_factory=Counter)
    #: Values still on another key, per scope (after a counting pass: what is left to do).
    stale: Counter[str] = field(default_factory=Counter)
    #: Rows changed by someone else between read and write (picked up by the next pass).
    raced: int = 0
    batches: int = 0

    @property
    def total(self) -> int:
        return sum(self.reencrypted.values())


class _ActiveKeys:
    """Newest key per scope, read from the database (not the keyring's TTL cache)."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}

    def __call__(self, scope: str) -> int:
        if scope not in self._ids:
            key_id = keyring._active_key_id_in_db(scope)
            self._ids[scope] = key_id if key_id is not None else keyring._first_key(scope)
        return self._ids[scope]


def _batches(
    model: type[models.Model], fields: list[EncryptedField], batch_size: int
) -> Iterator[list[tuple[object, list[int | None], list[str | None]]]]:
    """Rows as ``(pk, [org id per field], [raw ciphertext per field])``, in pk order."""
    raw_names = [f"_jw_raw_{i}" for i in range(len(fields))]
    org_names = [f"_jw_org_{i}" for i in range(len(fields))]
    annotations: dict[str, Any] = {}
    for i, f in enumerate(fields):
        annotations[raw_names[i]] = Cast(f.attname, models.TextField())
        annotations[org_names[i]] = models.F(f.org_field)  # "organisation_id" or a path
    base = model._base_manager.annotate(**annotations).order_by("pk")
    last = None
    while True:
        queryset = base if last is None else base.filter(pk__gt=last)
        rows = list(queryset.values_list("pk", *org_names, *raw_names)[:batch_size])
        if not rows:
            return
        n = len(fields)
        yield [(row[0], list(row[1 : 1 + n]), list(row[1 + n :])) for row in rows]
        last = rows[-1][0]


def reencrypt_pass(
    batch_size: int = 500, *, fix: bool = True, log: Log | None = None
) -> PassResult:
    """One pass over every encrypted value. With ``fix``, values not on their scope's newest key
    are re-encrypted onto it; without, they are only counted (``stale``)."""
    result = PassResult()
    active = _ActiveKeys()
    for model, fields in encrypted_models().items():
        label = model._meta.label_lower
        for rows in _batches(model, fields, batch_size):
            updates: list[tuple[object, dict[str, str], dict[str, str]]] = []
            for pk, orgs, raws in rows:
                old: dict[str, str] = {}
                new: dict[str, str] = {}
                for f, org, raw in zip(fields, orgs, raws, strict=True):
                    if raw is None or org is None:
                        continue
                    scope = keyring.org_scope(int(org))
                    target = active(scope)
                    if keyring.key_id_of(raw) == target:
                        continue
                    result.stale[scope] += 1
                    if fix:
                        plaintext = keyring.decrypt(raw, f.context)
                        old[f.attname] = raw
                        new[f.attname] = keyring.encrypt_with(plaintext, target, f.context)
                if new:
                    updates.append((pk, old, new))
            if not updates:
                continue
            moved = _apply(model, updates)
            result.raced += len(updates) - moved
            result.reencrypted[label] += moved
            result.batches += 1
            if log:
                log(f"{label}: re-encrypted {result.reencrypted[label]} rows")
    _reencrypt_mfa(result, active, fix, batch_size, log)
    if fix:
        result.stale = Counter()
    return result


def _reencrypt_mfa(
    result: PassResult, active: _ActiveKeys, fix: bool, batch_size: int, log: Log | None
) -> None:
    """Second factors (``encryption.mfa``): sealed under the ``accounts`` scope, in a JSON
    column rather than an encrypted field."""
    if not mfa.scope_in_use():
        return
    stale, rows, batches = mfa.reencrypt(active(mfa.SCOPE), fix=fix, batch_size=batch_size, log=log)
    if stale:
        result.stale[mfa.SCOPE] += stale
    if rows:
        result.reencrypted[mfa.LABEL] += rows
    result.batches += batches


def _apply(
    model: type[models.Model], updates: list[tuple[object, dict[str, str], dict[str, str]]]
) -> int:
    """One batch, one short transaction, one audit entry. Returns rows replaced."""
    manager = model._base_manager
    moved = 0
    from_keys: set[int] = set()
    to_keys: set[int] = set()
    with transaction.atomic():
        for pk, old, new in updates:
            condition = {name: keyring.Ciphertext(value) for name, value in old.items()}
            values = {name: keyring.Ciphertext(value) for name, value in new.items()}
            if manager.filter(pk=pk, **condition).update(**values):
                moved += 1
                from_keys.update(keyring.key_id_of(v) for v in old.values())
                to_keys.update(keyring.key_id_of(v) for v in new.values())
        if moved:
            record(
                None,
                "encryption.values.reencrypted",
                object_type=model._meta.label_lower,
                diff={
                    "rows": moved,
                    "first_pk": str(updates[0][0]),
                    "last_pk": str(updates[-1][0]),
                    "from_key_ids": sorted(from_keys),
                    "to_key_ids": sorted(to_keys),
                },
            )
    return moved


def org_scopes() -> list[str]:
    return sorted(
        set(DataKey.objects.filter(scope__startswith="org:").values_list("scope", flat=True))
    )


def rotated_scopes() -> list[str]:
    """Scopes ``rotate --data-keys`` gives a new key: every organisation's, and the
    ``accounts`` scope of second factors once it exists."""
    return [*org_scopes(), *([mfa.SCOPE] if mfa.scope_in_use() else [])]


@dataclass
class RotationResult:
    new_keys: dict[str, int]
    continued: list[str]
    reencrypted: int
    raced: int
    batches: int


def rotate_data_keys(
    batch_size: int = 500, *, wait: bool = True, log: Log | None = None
) -> RotationResult:
    """New data key per organisation scope (unless that scope is mid-rotation), then re-encrypt
    everything onto the newest keys. With ``wait``, a final pass runs after other processes'
    key caches have expired (``ACTIVE_KEY_TTL_SECONDS``), catching values they wrote meanwhile
    under the previous key."""
    pending = reencrypt_pass(batch_size, fix=False).stale
    new_keys: dict[str, int] = {}
    continued: list[str] = []
    for scope in rotated_scopes():
        if pending.get(scope):
            continued.append(scope)
            continue
        new_keys[scope] = keyring.create_data_key(scope).pk
    if new_keys:
        record(
            None,
            "encryption.data_keys.rotated",
            object_type="encryption.datakey",
            diff={"new_key_ids": new_keys, "continued_scopes": continued},
        )
    started = time.monotonic()
    if log:
        log(f"new data keys for {len(new_keys)} scopes; continuing {len(continued)}")
    total = reencrypt_pass(batch_size, log=log)
    reencrypted, raced, batches = total.total, total.raced, total.batches
    if wait:
        remaining = keyring.ACTIVE_KEY_TTL_SECONDS + 1 - (time.monotonic() - started)
        if remaining > 0:
            if log:
                log(f"waiting {remaining:.0f}s for running processes to switch keys")
            time.sleep(remaining)
    # Final passes: values written meanwhile under an older key, or rows that raced.
    for _ in range(3):
        more = reencrypt_pass(batch_size, log=log)
        reencrypted += more.total
        raced += more.raced
        batches += more.batches
        if more.total == 0 and more.raced == 0:
            break
    return RotationResult(new_keys, continued, reencrypted, raced, batches)
