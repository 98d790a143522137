"""One query path for lists of applications: the applicant's "my applications" (page and API)
and the staff's list of a call's submitted applications (page and API) call
:func:`search_applications`, which starts from the policy."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from justicework.core import policy
from justicework.core.actors import Requester
from justicework.grants.models import Application


@dataclass(frozen=True)
class Filters:
    #: only the applications of the organisations the user applies for (not co-applications)
    mine: bool = False
    call_id: int | None = None
    statuses: tuple[str, ...] = ()
    #: only applications that were submitted (the staff's lists)
    submitted: bool = False


def search_applications(user: Requester, filters: Filters) -> QuerySet[Application]:
    rows = policy.visible(user, Application, "own" if filters.mine else "view")
    if filters.call_id is not None:
        rows = rows.filter(call_id=filters.call_id)
    if filters.submitted:
        rows = rows.filter(submitted_at__isnull=False)
    if filters.statuses:
        rows = rows.filter(status__in=sorted(filters.statuses))
    return rows.select_related("call", "applicant").order_by("-created_at", "-pk")
