"""Reading the information log: a file's entries, and the survivors not updated for N days
(only the files the user may see, whose person the use in effect may read)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from justicework.core import policy
from justicework.core.actors import Requester
from justicework.survivors.models import InformationGiven, SurvivorFile
from justicework.violations.models import Person


def log(file: SurvivorFile, *, for_survivor: bool = False, limit: int = 200) -> list[Any]:
    """Entries newest first, with who gave them (one query)."""
    queryset = InformationGiven.objects.filter(file=file)
    if for_survivor:
        queryset = queryset.filter(for_survivor=True)
    return list(queryset.select_related("given_by").order_by("-given_at", "-pk")[:limit])


@dataclass(frozen=True)
class Stale:
    person_id: int
    code: str
    opened_at: dt.datetime
    last: dt.datetime | None

    @property
    def days(self) -> int:
        return (timezone.now() - (self.last or self.opened_at)).days


def not_updated(user: Requester, days: int, limit: int = 500) -> list[Stale]:
    """Files with no information given back for ``days`` days (none since opened, or the last
    before then), longest waiting first. One query."""
    cutoff = timezone.now() - dt.timedelta(days=days)
    rows = (
        policy.visible(user, SurvivorFile, "view_information")
        .filter(person__in=policy.visible(user, Person, "view").values("pk"))
        .annotate(last=Max("information__given_at"))
        .filter(Q(last__lt=cutoff) | Q(last__isnull=True, opened_at__lt=cutoff))
        .order_by(Coalesce("last", "opened_at"), "pk")
        .values_list("person_id", "person__code", "opened_at", "last")[:limit]
    )
    return [Stale(*row) for row in rows]
