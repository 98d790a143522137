"""Creating many persons at once (importer, demo): validation first (the identity schema, as
``create_person``), then codes, encryption, blind indexes and audit in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, Literal, overload

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.audit.chain import Event, append_many
from justicework.core import bulk
from justicework.core.models import Organisation, User
from justicework.encryption import keyring
from justicework.encryption.keyring import blind_index_key
from justicework.violations.actions._bulk import (
    BulkRowErrors,
    NewPerson,
    collect_errors,
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
    sealer_for,
)
from justicework.violations.identity import clean as clean_identity
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
    run."""
    require(actor, "create_person", organisation)
    allowed = frozenset({"status", *Person.IDENTITY_FIELDS})
    errors: list[tuple[int, str, str]] = []
    cleaned: list[tuple[str, dict[str, Any]]] = []
    #: Blind-index rows already computed (prepared items), by position in ``cleaned``.
    ready: dict[int, tuple[tuple[str, str], ...]] = {}
    #: Identities encrypted ahead (key id, field → ciphertext) and codes drawn ahead, likewise.
    sealed: dict[int, tuple[int | None, dict[str, str]]] = {}
    drawn: list[str] = []
    statuses = set(Person.Status.values)
    identity_fields = frozenset(Person.IDENTITY_FIELDS)
    index_key = blind_index_key()
    for index, item in enumerate(identities):
        if isinstance(item, PreparedIdentity):
            if item.errors:
                errors.extend((index, name, message) for name, message in item.errors)
                continue
            if item.index_key != index_key:  # prepared under another key: index again
                item = item._replace(
                    indexes=tuple(
                        (str(k), v) for k, v in sorted(identity_index_values(item.identity))
                    )
                )
            ready[len(cleaned)] = item.indexes
            if item.sealed is not None:
                sealed[len(cleaned)] = (item.sealed_key, item.sealed)
            drawn.append(item.code)
            cleaned.append((item.status, item.identity))
            continue
        if not allowed.issuperset(item):
            for name in sorted(set(item) - allowed):
                errors.append((index, name, _("This field cannot be set here.")))
        status = item.get("status") or Person.Status.UNKNOWN
        if status not in statuses:
            errors.append((index, "status", _("%(value)r is not a status.") % {"value": status}))
        try:
            identity = clean_identity({k: v for k, v in item.items() if k in identity_fields})
        except ValidationError as exc:
            collect_errors(errors, index, exc)
            continue
        drawn.append("")
        cleaned.append((str(status), identity))
    if errors:
        raise BulkRowErrors(errors)
    creator = actor_or_none(actor)
    creator_id = creator.pk if creator is not None else None
    org_id = organisation.pk
    now = timezone.now()
    codes = free_codes(Person, org_id, PERSON_CODE_PREFIX, len(cleaned), drawn)
    with transaction.atomic():
        ids = bulk.allocate_ids(Person, len(cleaned))
        columns, rows = _person_rows(org_id, creator_id, now, ids, codes, cleaned, sealed)
        bulk.insert_rows(Person, columns, rows)
        index_rows = [
            (org_id, pk, str(kind), value)
            for position, (pk, (_status, identity)) in enumerate(zip(ids, cleaned, strict=True))
            for kind, value in (
                ready[position]
                if position in ready
                else sorted(identity_index_values(identity, index_key))
            )
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
                    "status": status,
                    "identity_fields": sorted(k for k, v in identity.items() if v is not None),
                    **extra,
                },
            )
            for pk, code, (status, identity) in zip(ids, codes, cleaned, strict=True)
        )
    if not instances:
        return [NewPerson(pk, code, org_id) for pk, code in zip(ids, codes, strict=True)]
    persons = []
    for pk, code, (status, identity) in zip(ids, codes, cleaned, strict=True):
        person = Person(
            id=pk,
            organisation_id=org_id,
            code=code,
            status=status,
            created_by_id=creator_id,
            created_at=now,
            updated_at=now,
            **identity,
        )  # the instances keep the plaintext, as after save()
        person._state.adding = False
        person._state.db = transaction.get_connection().alias
        persons.append(person)
    return persons


def _person_rows(
    org_id: int,
    creator_id: int | None,
    now: dt.datetime,
    ids: Sequence[int],
    codes: Sequence[str],
    cleaned: Sequence[tuple[str, Mapping[str, Any]]],
    sealed: Mapping[int, tuple[int | None, dict[str, str]]] | None = None,
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Person rows as ``bulk.insert`` writes them (columns, values), built
    from tuples: a template row from a ``Person`` holding only the shared values, then per
    person its id, code, status and its identity fields encrypted (``EncryptedField.pre_save``
    with the organisation's key looked up once per field for the batch). ``sealed`` (by
    position): identities encrypted ahead, used as they are when their key is the active one
    (else encrypted again here)."""
    template = Person(
        organisation_id=org_id,
        code="",
        created_by_id=creator_id,
        created_at=now,
        updated_at=now,
    )
    attnames, values = bulk.prepared_row(template)
    position = {name: i for i, name in enumerate(attnames)}
    if any(values[position[name]] is not None for name in ENCRYPTED_PERSON_FIELDS):
        raise RuntimeError("Person's identity fields must have no default")  # never encrypted
    at_id, at_code, at_status = position["id"], position["code"], position["status"]
    scope = keyring.org_scope(org_id)
    sealer: IdentitySealer | None = None  # the active key's, looked up at the first identity
    rows: list[tuple[Any, ...]] = []
    for index, (pk, code, (status, identity)) in enumerate(zip(ids, codes, cleaned, strict=True)):
        row = values.copy()
        row[at_id] = pk
        row[at_code] = code
        row[at_status] = status
        if any(value is not None for value in identity.values()):
            if sealer is None:
                sealer = sealer_for(scope, keyring.keyring.active_key_id(scope))
            ahead = sealed.get(index) if sealed else None
            fields = ahead[1] if ahead is not None and ahead[0] == sealer.key_id else None
            for name, ciphertext in (fields or sealer.seal(identity)).items():
                row[position[name]] = ciphertext
        rows.append(tuple(row))
    return attnames, rows
