"""Rebuild the blind indexes of an organisation's persons (``justicework reindex_persons``).

Needed when the index kinds or the name folding change (issue 11 added the name half keys and
the age): the identities are encrypted, so the new indexes can only be computed by decrypting
each person in turn, as the application does. One audit entry per run names the organisation
and the number of persons and index rows, never a value.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from justicework.audit.chain import record
from justicework.core.models import Organisation, User
from justicework.encryption.keyring import blind_index_key
from justicework.violations.actions._common import require
from justicework.violations.identity import INDEXED_FIELDS, identity_index_values
from justicework.violations.models import Person, PersonIndex

BATCH = 500


def _rebuild(organisation: Organisation, ids: list[int], key: bytes) -> int:
    persons = Person.objects.filter(pk__in=ids).only("pk", *INDEXED_FIELDS)
    rows = [
        PersonIndex(organisation_id=organisation.pk, person_id=person.pk, kind=kind, value=value)
        for person in persons
        for kind, value in sorted(
            identity_index_values({f: getattr(person, f) for f in INDEXED_FIELDS}, key)
        )
    ]
    PersonIndex.objects.filter(person_id__in=ids).delete()
    PersonIndex.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


@transaction.atomic
def reindex_persons(
    actor: User | None,
    organisation: Organisation,
    *,
    on_batch: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Recompute every blind index of ``organisation``'s persons (needs ``reindex_persons``:
    ``org.manage``); ``on_batch`` is told the number of persons done after each batch."""
    require(actor, "reindex_persons", organisation)
    key = blind_index_key()
    ids = list(
        Person.objects.filter(organisation=organisation).order_by("pk").values_list("pk", flat=True)
    )
    rows = 0
    for start in range(0, len(ids), BATCH):
        rows += _rebuild(organisation, ids[start : start + BATCH], key)
        if on_batch is not None:
            on_batch(min(start + BATCH, len(ids)))
    counts = {"persons": len(ids), "index_rows": rows}
    record(
        actor,
        "violations.person.indexes_rebuilt",
        organisation,
        organisation_id=organisation.pk,
        diff=counts,
    )
    return counts
