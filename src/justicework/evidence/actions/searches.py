"""Saving and deleting a search of the evidence list (``SavedSearch``): audited; a search is
private to the person who saved it."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from justicework.audit.chain import record
from justicework.core import policy
from justicework.core.models import Organisation, User
from justicework.evidence.models import SavedSearch
from justicework.evidence.queries import normalise

MAX_NAME = 100


def save_search(
    actor: User, organisation: Organisation, name: str, query: Mapping[str, str]
) -> SavedSearch:
    """Save the list's filters in ``query`` under ``name`` (a name ``actor`` has not used yet
    in ``organisation``)."""
    policy.require(actor, "evidence.view", organisation)
    name = " ".join(name.split())
    if not name or len(name) > MAX_NAME:
        raise ValidationError(
            _("Name: give a name of 1 to %(max)s characters.") % {"max": MAX_NAME}
        )
    filters = normalise(query)
    with transaction.atomic():
        taken = SavedSearch.objects.select_for_update().filter(
            organisation=organisation, owner=actor, name=name
        )
        if taken.exists():
            raise ValidationError(
                _("Name: you already have a saved search named %(name)s.") % {"name": name}
            )
        search = SavedSearch.objects.create(
            organisation=organisation, owner=actor, name=name, filters=filters
        )
        record(actor, "evidence.search.saved", search, organisation_id=organisation.pk,
               diff={"name": name, "filters": filters})  # fmt: skip
    return search


def delete_search(actor: User, search: SavedSearch) -> None:
    policy.require(actor, "view", search)
    with transaction.atomic():
        record(actor, "evidence.search.deleted", search, organisation_id=search.organisation_id,
               diff={"name": search.name, "filters": search.filters})  # fmt: skip
        search.delete()


def find_search(actor: User, organisation: Organisation, name: str) -> SavedSearch:
    """``actor``'s saved search named ``name`` in ``organisation`` (another's is not found)."""
    search = (
        policy.visible(actor, SavedSearch, "view")
        .filter(organisation=organisation, name=" ".join(name.split()))
        .first()
    )
    if search is None:
        raise ValidationError(
            _("You have no saved search named %(name)s in this organisation.") % {"name": name}
        )
    return search
