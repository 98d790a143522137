"""Creating many persons at once (importer, demo): validation first (the identity schema, as
``create_person``), then codes, encryption, blind indexes and audit in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, Literal, NamedTuple, overload

from django.db import transaction
from django.utils import timezone

from justicework.audit.chain import Event, append_many
from justicework.core import bulk
from justicework.core.models import Organisation, User
from justicework.encryption import keyring
from justicework.encryption.keyring import blind_index_key
from justicework.violations.actions._bulk import (
    BulkRowErrors,
    NewPerson,
)
from justicework.violations.actions._common import (
    actor_or_none,
    require,
)
from justicework.violations.actions.codes import (
    PERSON_CODE_PREFIX,
    free_codes,
)
from justicework.violations.actions.prepared import (
    ENCRYPTED_PERSON_FIELDS,
    IdentitySealer,
    PreparedIdentity,
    prepare_identity,
    sealer_for,
)
from justicework.violations.identity import identity_index_values
from justicework.violations.models import (
    Person,
    PersonIndex,
)


@overload
def bulk_create_persons(
    actor: User | None,
    organisation: Organisation,
    identities: Sequence[Mapping[str, Any] | PreparedIdentity],
    *,
    source: str = ...,
    instances: Literal[True] = ...,
) -> list[Person]: ...


@overload
def bulk_create_persons(
    actor: User | None,
    organisation: Organisation,
    identities: Sequence[Mapping[str, Any] | PreparedIdentity],
    *,
    source: str = ...,
    instances: Literal[False],
) -> list[NewPerson]: ...


def bulk_create_persons(
    actor: User | None,
    organisation: Organisation,
    identities: Sequence[Mapping[str, Any] | PreparedIdentity],
    *,
    source: str = "",
    instances: bool = True,
) -> list[Person] | list[NewPerson]:
    """Create many persons (importer, demo). Each item holds ``status`` and identity fields
    (``Person.IDENTITY_FIELDS``). All items are validated first (:class:`BulkRowErrors`);
    then codes, encryption, blind indexes and one audit entry per person in one transaction.
    ``source`` (e.g. ``"import"``) is added to each audit diff. ``instances=False`` returns
    :class:`NewPerson` tuples instead of ``Person`` instances (the importer: no model
    instances are built at all; the stored rows are the same). An item may be a
    :class:`PreparedIdentity` (:func:`prepare_identity`, done ahead): the same checks, already
    run; a mapping is prepared here."""
    require(actor, "create_person", organisation)
    items = _checked(identities, blind_index_key())
    creator = actor_or_none(actor)
    batch = _Batch(organisation.pk, creator.pk if creator is not None else None, timezone.now())
    drawn = [item.code for item in items]
    codes = free_codes(Person, batch.org_id, PERSON_CODE_PREFIX, len(items), drawn)
    with transaction.atomic():
        ids = bulk.allocate_ids(Person, len(items))
        _write(actor, batch, ids, codes, items, source)
    if not instances:
        return [NewPerson(pk, code, batch.org_id) for pk, code in zip(ids, codes, strict=True)]
    return _instances(batch, ids, codes, items)


class _Batch(NamedTuple):
    org_id: int
    creator_id: int | None
    now: dt.datetime


def _checked(
    identities: Sequence[Mapping[str, Any] | PreparedIdentity], index_key: bytes
) -> list[PreparedIdentity]:
    """Every item prepared (fields, status, identity schema, blind indexes under
    ``index_key``); any error raises :class:`BulkRowErrors` for them all."""
    errors: list[tuple[int, str, str]] = []
    items: list[PreparedIdentity] = []
    for index, item in enumerate(identities):
        if not isinstance(item, PreparedIdentity):
            item = prepare_identity(item, index_key)
        if item.errors:
            errors.extend((index, name, message) for name, message in item.errors)
            continue
        if item.index_key != index_key:  # prepared under another key: index again
            indexes = sorted(identity_index_values(item.identity, index_key))
            item = item._replace(
                indexes=tuple((str(k), v) for k, v in indexes), index_key=index_key
            )
        items.append(item)
    if errors:
        raise BulkRowErrors(errors)
    return items


def _write(
    actor: User | None,
    batch: _Batch,
    ids: Sequence[int],
    codes: Sequence[str],
    items: Sequence[PreparedIdentity],
    source: str,
) -> None:
    """The persons, their blind indexes and one audit entry each."""
    org_id = batch.org_id
    columns, rows = _person_rows(batch, ids, codes, items)
    bulk.insert_rows(Person, columns, rows)
    index_rows = [
        (org_id, pk, kind, value)
        for pk, item in zip(ids, items, strict=True)
        for kind, value in item.indexes
    ]
    bulk.insert_rows(  # ids from the database: nobody needs them back
        PersonIndex, ["organisation_id", "person_id", "kind", "value"], index_rows
    )
    extra = {"source": source} if source else {}
    object_type = Person._meta.label_lower
    append_many(
        Event(
            action="violations.person.created",
            actor=actor,
            object_type=object_type,
            object_id=str(pk),
            organisation_id=org_id,
            diff={
                "code": code,
                "status": item.status,
                "identity_fields": sorted(k for k, v in item.identity.items() if v is not None),
                **extra,
            },
        )
        for pk, code, item in zip(ids, codes, items, strict=True)
    )


def _instances(
    batch: _Batch, ids: Sequence[int], codes: Sequence[str], items: Sequence[PreparedIdentity]
) -> list[Person]:
    """The persons as saved instances; they keep the plaintext, as after ``save()``."""
    persons = []
    alias = transaction.get_connection().alias
    for pk, code, item in zip(ids, codes, items, strict=True):
        person = Person(
            id=pk,
            organisation_id=batch.org_id,
            code=code,
            status=item.status,
            created_by_id=batch.creator_id,
            created_at=batch.now,
            updated_at=batch.now,
            **item.identity,
        )
        person._state.adding = False
        person._state.db = alias
        persons.append(person)
    return persons


def _person_rows(
    batch: _Batch,
    ids: Sequence[int],
    codes: Sequence[str],
    items: Sequence[PreparedIdentity],
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Person rows as ``bulk.insert`` writes them (columns, values), built from tuples: a
    template row from a ``Person`` holding only the shared values, then per person its id,
    code, status and its identity fields encrypted (``EncryptedField.pre_save`` with the
    organisation's key looked up once per field for the batch). Identities encrypted ahead
    (``item.sealed``) are used as they are when their key is the active one, else encrypted
    again here."""
    template = Person(
        organisation_id=batch.org_id,
        code="",
        created_by_id=batch.creator_id,
        created_at=batch.now,
        updated_at=batch.now,
    )
    attnames, values = bulk.prepared_row(template)
    position = {name: i for i, name in enumerate(attnames)}
    if any(values[position[name]] is not None for name in ENCRYPTED_PERSON_FIELDS):
        raise RuntimeError("Person's identity fields must have no default")  # never encrypted
    at_id, at_code, at_status = position["id"], position["code"], position["status"]
    scope = keyring.org_scope(batch.org_id)
    sealer: IdentitySealer | None = None  # the active key's, looked up at the first identity
    rows: list[tuple[Any, ...]] = []
    for pk, code, item in zip(ids, codes, items, strict=True):
        row = values.copy()
        row[at_id] = pk
        row[at_code] = code
        row[at_status] = item.status
        if any(value is not None for value in item.identity.values()):
            if sealer is None:
                sealer = sealer_for(scope, keyring.keyring.active_key_id(scope))
            ahead = item.sealed if item.sealed_key == sealer.key_id else None
            for name, ciphertext in (ahead or sealer.seal(item.identity)).items():
                row[position[name]] = ciphertext
        rows.append(tuple(row))
    return attnames, rows
