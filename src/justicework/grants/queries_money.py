"""The one query path of the awards list (web page and API): the awards the user may see,
through the policy, newest first, with what the list shows joined in."""

from __future__ import annotations

from django.db.models import QuerySet

from justicework.core import policy
from justicework.core.actors import Requester
from justicework.grants.models import Award, GranteeReport

LIST_LIMIT = 500


def awards_for(user: Requester) -> QuerySet[Award]:
    return (
        policy.visible(user, Award, "view")
        .select_related("call", "legal_entity", "application")
        .order_by("-decided_at", "-pk")
    )


def reports_to_review(user: Requester) -> QuerySet[GranteeReport]:
    """Submitted reports the user may review, oldest submission first."""
    return (
        policy.visible(user, GranteeReport, "review")
        .filter(status=GranteeReport.Status.SUBMITTED)
        .select_related("award__legal_entity", "award__application")
        .order_by("submitted_at", "pk")
    )
