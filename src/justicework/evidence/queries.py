"""One query path for lists of evidence items (STYLE 18): the web list and the dashboard card
call :func:`search_items` with a :class:`Filters`; it starts from the policy."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

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


#: the filters a person may save (``SavedSearch.filters``), in this order
SAVED_FIELDS = ("sha256", "media_type")
_HEX = re.compile(r"[0-9a-f]{8,64}")
_MEDIA_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}")


def normalise(query: Mapping[str, str]) -> dict[str, str]:
    """The list's filters in ``query`` (a GET query or a saved search), normalised: trimmed,
    lower case, empty ones left out; a value that is not one the list accepts is refused,
    naming the filter."""
    out: dict[str, str] = {}
    sha256 = str(query.get("sha256", "")).strip().lower()
    if sha256:
        if not _HEX.fullmatch(sha256):
            raise ValidationError(_("SHA-256: give 8 to 64 hexadecimal characters."), code="sha256")
        out["sha256"] = sha256
    media_type = str(query.get("media_type", "")).strip().lower()
    if media_type:
        if not _MEDIA_TYPE.fullmatch(media_type):
            raise ValidationError(
                _("Type: %(value)s is not a media type (such as image/jpeg).")
                % {"value": media_type[:80]},
                code="media_type",
            )
        out["media_type"] = media_type
    return out


def filters_of(saved: Mapping[str, str], organisation_id: int | None = None) -> Filters:
    """The :class:`Filters` of normalised saved filters, in ``organisation_id``."""
    clean = normalise(saved)
    return Filters(
        organisation_id=organisation_id,
        sha256=clean.get("sha256", ""),
        media_type=clean.get("media_type", ""),
    )
