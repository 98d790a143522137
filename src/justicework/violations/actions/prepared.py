"""Person identities prepared ahead of their bulk write (no database): cleaned by the identity
schema, blind-indexed, optionally encrypted with a sealer and given a drawn code. The
importer's preparing process builds these while the previous chunk is written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from justicework.encryption import keyring
from justicework.encryption.fields import EncryptedField
from justicework.violations.actions._bulk import (
    collect_errors,
)
from justicework.violations.identity import clean as clean_identity
from justicework.violations.identity import identity_index_values
from justicework.violations.models import (
    Person,
)


class PreparedIdentity(NamedTuple):
    """An identity cleaned and blind-indexed ahead of its write by :func:`prepare_identity`
    (no database: the importer builds these in its preparing process while the previous chunk
    is written). :func:`bulk_create_persons` takes one in place of a mapping."""

    status: str
    identity: dict[str, Any]
    #: The (kind, blind index) pairs, sorted; computed under ``index_key``.
    indexes: tuple[tuple[str, str], ...]
    index_key: bytes
    #: ``(field, message)`` pairs; when present the item is invalid (nothing else is set).
    errors: tuple[tuple[str, str], ...] = ()
    #: A code drawn ahead (:func:`draw_codes`); the writer checks it is still free.
    code: str = ""
    #: The identity's fields encrypted ahead (field name → stored ciphertext) under the data key
    #: ``sealed_key``; the writer uses them only while that key is still the active one.
    sealed: dict[str, str] | None = None
    sealed_key: int | None = None


class IdentitySealer(NamedTuple):
    """Encrypts a person's identity fields under one data key of its organisation, as
    ``EncryptedField.pre_save`` does (:func:`identity_sealer`)."""

    key_id: int
    seals: dict[str, Callable[[Any], keyring.Ciphertext | None]]

    def seal(self, identity: Mapping[str, Any]) -> dict[str, str]:
        sealed: dict[str, str] = {}
        for name, value in identity.items():
            if value is not None:
                ciphertext = self.seals[name](value)
                if ciphertext is not None:
                    sealed[name] = ciphertext
        return sealed


def identity_sealer(organisation_id: int, *, create: bool = False) -> IdentitySealer | None:
    """A sealer for new persons' identities under the organisation's active data key, for work
    done ahead of the write (the importer's preparing process). An organisation with no data
    key yet gets one with ``create`` (as its first encrypted write would), else ``None``.
    Looks the key up: call it where queries are allowed, in the writer's transaction."""
    scope = keyring.org_scope(organisation_id)
    if create:
        key_id: int | None = keyring.keyring.active_key_id(scope)
    else:
        key_id = keyring.existing_active_key_id(scope)
    if key_id is None:
        return None
    return sealer_for(scope, key_id)


def sealer_for(scope: str, key_id: int) -> IdentitySealer:
    return IdentitySealer(
        key_id,
        {
            name: field_sealer(field, scope, key_id)
            for name, field in ENCRYPTED_PERSON_FIELDS.items()
        },
    )


_PERSON_ITEM_FIELDS = frozenset({"status", *Person.IDENTITY_FIELDS})
_PERSON_STATUSES = frozenset(Person.Status.values)
_IDENTITY_FIELDS = frozenset(Person.IDENTITY_FIELDS)


def prepare_identity(
    item: Mapping[str, Any],
    index_key: bytes,
    *,
    code: str = "",
    sealer: IdentitySealer | None = None,
) -> PreparedIdentity:
    """What :func:`bulk_create_persons` does to one item before writing it: check the fields
    and the status, clean the identity, compute its blind indexes with ``index_key``
    (:func:`~justicework.encryption.keyring.blind_index_key`, looked up by the caller); with
    ``code`` (from :func:`draw_codes`) and ``sealer`` (:func:`identity_sealer`), also the code
    and the encrypted fields. Pure: no database, no writes; safe in another thread or process
    (with the caller's language active for the messages)."""
    errors: list[tuple[str, str]] = []
    if not _PERSON_ITEM_FIELDS.issuperset(item):
        for name in sorted(set(item) - _PERSON_ITEM_FIELDS):
            errors.append((name, _("This field cannot be set here.")))
    status = item.get("status") or Person.Status.UNKNOWN
    if status not in _PERSON_STATUSES:
        errors.append(("status", _("%(value)r is not a status.") % {"value": status}))
    try:
        identity = clean_identity({k: v for k, v in item.items() if k in _IDENTITY_FIELDS})
    except ValidationError as exc:
        collected: list[tuple[int, str, str]] = []
        collect_errors(collected, 0, exc)
        errors.extend((name, message) for _index, name, message in collected)
        return PreparedIdentity(str(status), {}, (), index_key, tuple(errors))
    if errors:
        return PreparedIdentity(str(status), identity, (), index_key, tuple(errors))
    indexes = tuple(
        (str(kind), value) for kind, value in sorted(identity_index_values(identity, index_key))
    )
    if sealer is None:
        return PreparedIdentity(str(status), identity, indexes, index_key, code=code)
    return PreparedIdentity(
        str(status),
        identity,
        indexes,
        index_key,
        code=code,
        sealed=sealer.seal(identity),
        sealed_key=sealer.key_id,
    )


ENCRYPTED_PERSON_FIELDS = {
    f.name: f for f in Person._meta.concrete_fields if isinstance(f, EncryptedField)
}


def field_sealer(
    field: EncryptedField, scope: str, key_id: int | None = None
) -> Callable[[Any], keyring.Ciphertext | None]:
    """``field.pre_save`` of a value, with the key (the active one, or ``key_id``) looked up
    once."""
    seal = keyring.encryptor(scope, field.context, key_id)
    to_bytes, is_empty = field.to_bytes, field.is_empty

    def convert(value: Any) -> keyring.Ciphertext | None:
        if is_empty(value):
            return None
        if isinstance(value, keyring.Ciphertext):
            return value
        return seal(to_bytes(value))

    return convert
