"""Finding a person by name: an identity look-up, so it follows the identity rules.

A name is matched only through the blind indexes (exact normalised name, or its
transliteration-aware key: no plaintext is searched), and only among the persons whose identity
the asking user may open (policy action ``reveal_identity``: role and a current need-to-know
grant). Someone who may open no identity finds nobody by name. Every name search that may
find someone is audited with the blind-index values and the number of matches; the names shown
for the matches (decrypted) are audited too, by field name, never by value.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from justicework.audit.chain import record
from justicework.core import policy
from justicework.core.models import Organisation, User
from justicework.violations.identity import NAME, NAME_KEY, index_values
from justicework.violations.models import Person, PersonIndex


@dataclass(frozen=True)
class NameMatches:
    """Persons found by name: their ids (newest first) and, when asked, their full names."""

    ids: list[int] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)


def _may_search_names(actor: User, organisation: Organisation) -> bool:
    return (
        policy.visible(actor, Person, "reveal_identity")
        .filter(organisation_id=organisation.pk)
        .exists()
    )


@transaction.atomic
def find_persons_by_name(
    actor: User,
    organisation: Organisation,
    text: str,
    *,
    limit: int = 20,
    with_names: bool = False,
) -> NameMatches:
    """Persons of ``organisation`` whose name (in any script or spelling the blind indexes
    recognise) is ``text``, among those ``actor`` may open. ``with_names`` decrypts their full
    names for display (audited as ``violations.person.names_shown``)."""
    values = {pair for pair in index_values(names=[text]) if pair[0] in (NAME, NAME_KEY)}
    if not values or not _may_search_names(actor, organisation):
        return NameMatches()
    allowed = policy.visible(actor, Person, "reveal_identity").filter(
        organisation_id=organisation.pk
    )
    found = (
        PersonIndex.objects.filter(
            organisation_id=organisation.pk,
            kind__in=sorted({str(k) for k, _v in values}),
            value__in=sorted({v for _k, v in values}),
            person__in=allowed,
        )
        .values_list("person_id", flat=True)
        .distinct()
        .order_by("-person_id")[:limit]
    )
    ids = list(found)
    record(
        actor,
        "violations.person.searched_by_name",
        organisation,
        organisation_id=organisation.pk,
        diff={"blind_index": sorted(f"{k}:{v}" for k, v in values), "matches": len(ids)},
    )
    if not with_names or not ids:
        return NameMatches(ids=ids)
    persons = list(allowed.filter(pk__in=ids).only("id", "code", "organisation_id", "full_name"))
    names = {p.pk: p.full_name or "" for p in persons}
    record(
        actor,
        "violations.person.names_shown",
        organisation,
        organisation_id=organisation.pk,
        diff={"codes": sorted(p.code for p in persons), "fields": ["full_name"]},
    )
    return NameMatches(ids=ids, names=names)
