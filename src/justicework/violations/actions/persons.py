"""Actions on persons: create, update, duplicate check and the audited identity reveal.

Identity input is cleaned by :mod:`justicework.violations.identity`; audit diffs name
identity fields, never their values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from justicework.audit.chain import diff_fields, record
from justicework.core import policy
from justicework.core.models import Organisation, User
from justicework.violations import duplicates
from justicework.violations.actions._common import (
    actor_or_none,
    check_fields,
    require,
    touch,
)
from justicework.violations.actions.codes import (
    PERSON_CODE_PREFIX,
    free_code,
)
from justicework.violations.actions.grants import grant_creator_need_to_know
from justicework.violations.identity import clean as clean_identity
from justicework.violations.identity import index_values, person_index_values
from justicework.violations.models import (
    Person,
    PersonIndex,
)


def _index_rows(person: Person) -> list[PersonIndex]:
    return [
        PersonIndex(organisation_id=person.organisation_id, person=person, kind=kind, value=value)
        for kind, value in sorted(person_index_values(person))
    ]


@transaction.atomic
def create_person(
    actor: User | None,
    organisation: Organisation,
    *,
    status: str = Person.Status.UNKNOWN,
    **identity: Any,
) -> Person:
    """Create a person with a fresh pseudonymous code; identity fields are encrypted and
    blind-indexed. Identity keys: ``Person.IDENTITY_FIELDS``."""
    require(actor, "create_person", organisation)
    check_fields(identity, frozenset(Person.IDENTITY_FIELDS))
    clean = clean_identity(identity)
    person = Person(
        organisation=organisation,
        code=free_code(Person, organisation.pk, PERSON_CODE_PREFIX),
        status=status,
        created_by=actor_or_none(actor),
        **clean,
    )
    person.full_clean(exclude=["organisation", *Person.IDENTITY_FIELDS])
    person.save()
    PersonIndex.objects.bulk_create(_index_rows(person))
    record(
        actor,
        "violations.person.created",
        person,
        diff={
            "code": person.code,
            "status": person.status,
            "identity_fields": sorted(k for k, v in clean.items() if v is not None),
        },
    )
    grant_creator_need_to_know(actor, person)
    return person


@transaction.atomic
def update_person(actor: User | None, person: Person, **changes: Any) -> Person:
    """Change a person's status and/or identity fields (blind indexes are recomputed).
    Identity fields need ``change_identity`` (the need-to-know that reading them needs) and are
    audited as ``violations.person.identity_changed`` (field names only)."""
    require(actor, "change", person)
    check_fields(changes, frozenset({"status", *Person.IDENTITY_FIELDS}))
    identity = {k: v for k, v in changes.items() if k != "status"}
    if identity:
        require(actor, "change_identity", person)
    clean = clean_identity(identity)
    before = {name: getattr(person, name) for name in changes}
    if "status" in changes:
        person.status = changes["status"]
    for name, value in clean.items():
        setattr(person, name, value)
    person.full_clean(exclude=["organisation", *Person.IDENTITY_FIELDS])
    touch(person)
    person.save()
    if clean:
        person.index_values.all().delete()
        PersonIndex.objects.bulk_create(_index_rows(person))
    after = {name: getattr(person, name) for name in changes}
    record(
        actor,
        "violations.person.identity_changed" if identity else "violations.person.updated",
        person,
        diff=diff_fields(before, after, sensitive=Person.IDENTITY_FIELDS),
    )
    return person


@transaction.atomic
def check_duplicates(
    actor: User | None,
    organisation: Organisation,
    *,
    name: str | Sequence[str] | None = None,
    dob: dt.date | str | None = None,
    documents: Sequence[str] = (),
    exclude: Person | None = None,
) -> duplicates.DuplicateCheck:
    """Is a person with this identity already recorded in ``organisation``? Candidates for a
    human to review, not a decision (see :mod:`~justicework.violations.duplicates`): at least
    two identifying fields given and matched; codes only of persons the actor may open
    (need-to-know), otherwise "a possible duplicate exists" and whom to ask; rate-limited per
    user; audited with the blind-index values and the number of matches, never plaintext."""
    require(actor, "find_duplicates", organisation)
    if isinstance(dob, str):
        try:
            dob = dt.date.fromisoformat(dob) if dob else None
        except ValueError as exc:
            raise ValidationError({"date_of_birth": _("Expected a date (YYYY-MM-DD).")}) from exc
    names = [name] if isinstance(name, str) else list(name or [])
    values = index_values(names=names, date_of_birth=dob, documents=documents)
    duplicates.require_two_fields(values)
    if actor is not None:
        duplicates.charge(actor)
    hits = duplicates.match(organisation, values, exclude.pk if exclude is not None else None)
    may_open = set(
        policy.visible(actor, Person, "reveal_identity")
        .filter(pk__in=sorted(hits))
        .values_list("pk", flat=True)
        if actor is not None
        else hits
    )
    disclosed = [hit for pk, hit in hits.items() if pk in may_open]
    codes = duplicates.strongest_first(disclosed)
    undisclosed = len(hits) - len(codes)
    record(
        actor,
        "violations.person.duplicates_checked",
        organisation,
        organisation_id=organisation.pk,
        diff={
            "blind_index": sorted(f"{kind}:{value}" for kind, value in values),
            "matches": len(hits),
            "disclosed": len(codes),
        },
    )
    return duplicates.DuplicateCheck(
        codes=codes,
        matched={code: sorted(fields) for code, fields in disclosed},
        undisclosed=undisclosed,
        organisation=organisation,
        ask=duplicates.whom_to_ask(organisation) if undisclosed else [],
    )


@transaction.atomic
def reveal_identity(actor: User, person: Person) -> dict[str, Any]:
    """The decrypted identity of ``person``. Needs ``identity.reveal`` in the owning
    organisation AND a current need-to-know grant; every reveal is audited (field names only)."""
    policy.require(actor, "reveal_identity", person)
    identity = {name: getattr(person, name) for name in Person.IDENTITY_FIELDS}
    record(
        actor,
        "violations.person.identity_revealed",
        person,
        diff={"code": person.code, "fields": sorted(k for k, v in identity.items() if v)},
    )
    return {"code": person.code, "status": person.status, **identity}
