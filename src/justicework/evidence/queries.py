"""One query path for lists of evidence items (STYLE 18): the web list and the dashboard card
call :func:`search_items` with a :class:`Filters`; it starts from the policy."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from justicework.core import policy
from justicework.core.actors import Requester
from justicework.evidence.models import Item


@dataclass(frozen=True)
class Filters:
    organisation_id: int | None = None
    sha256: str = ""  # a whole SHA-256, or its first characters (at least 8)
    media_type: str = ""
    before_id: int | None = None  # keyset paging: items older than this one


def search_items(user: Requester, filters: Filters) -> QuerySet[Item]:
    """The items ``user`` may see that match ``filters``, newest first."""
    items = policy.visible(user, Item, "view").select_related(
        "original", "organisation", "tombstone"
    )
    if filters.organisation_id is not None:
        items = items.filter(organisation_id=filters.organisation_id)
    if len(filters.sha256) >= 8:
        items = items.filter(original__sha256__startswith=filters.sha256.lower())
    if filters.media_type:
        items = items.filter(original__media_type=filters.media_type)
    if filters.before_id is not None:
        items = items.filter(pk__lt=filters.before_id)
    return items.order_by("-id")
