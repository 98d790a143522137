"""The violations app's dashboard cards (declared on ``ViolationsConfig.dashboard_cards``): the
user's own work with their next actions, and the organisation's incidents."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from justicework.core import policy
from justicework.violations.models import Incident, Person
from justicework.violations.views.identity_access import waiting_requests

#: How many of the user's own incidents the "your work" card lists.
RECENT_WORK = 6


def work_card(request: HttpRequest) -> dict[str, Any] | None:
    """Dashboard card: what the user can do next (record an incident, import a list, decide the
    identity requests waiting) and their own drafts and most recently changed incidents (1
    query beyond the policy's checks, 2 for those who decide requests)."""
    user = request.user
    membership: Any = getattr(request, "membership", None)
    if membership is None or not policy.can(user, "view_records", membership.organisation):
        return None
    organisation = membership.organisation
    actions = []
    if policy.can(user, "create_incident", organisation):
        actions.append(
            {"label": _("Record an incident"), "url": reverse("violations:incident_create")}
        )
    if policy.can(user, "import", organisation):
        actions.append(
            {"label": _("Import a list"), "url": reverse("dataio:index", args=["violations"])}
        )
    if policy.can(user, "decide_identity_requests", organisation):
        actions.append(_requests_action(user))
    mine = (
        policy.visible(user, Incident, "view")
        .filter(organisation=organisation, created_by_id=user.pk)
        .only("id", "title", "status", "updated_at")
        .order_by("-updated_at", "-id")[:RECENT_WORK]
    )
    list_url, draft = reverse("violations:incident_list"), Incident.Status.DRAFT
    entries = [
        {
            "label": incident.title,
            "url": f"{list_url}{incident.pk}/{'edit/' if incident.status == draft else ''}",
            "note": incident.get_status_display(),
            "time": incident.updated_at,
        }
        for incident in mine
    ]
    return {
        "title": gettext_lazy("Your work"),
        "note": _("Your drafts and the incidents you recorded, latest changed first.")
        if entries
        else _("You have not recorded an incident yet."),
        "entries": entries,
        "actions": actions,
        "order": 5,
    }


def _requests_action(user: Any) -> dict[str, Any]:
    """The identity access requests waiting for ``user``'s decision: how many, and the queue
    (the same rows as the queue page, ``waiting_requests``)."""
    count = waiting_requests(user).count()
    return {
        "label": ngettext(
            "%(n)d identity request waiting", "%(n)d identity requests waiting", count
        )
        % {"n": count},
        "url": reverse("violations:access_request_queue"),
    }


def incidents_card(request: HttpRequest) -> dict[str, Any] | None:
    """Dashboard card: incidents the user may see, how many are drafts, persons (3 queries)."""
    user = request.user
    membership: Any = getattr(request, "membership", None)
    if membership is None or not policy.can(user, "view_records", membership.organisation):
        return None
    incidents = policy.visible(user, Incident, "view")
    by_status = dict(
        incidents.order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    persons = policy.visible(user, Person, "view").count()
    list_url = reverse("violations:incident_list")
    return {
        "title": gettext_lazy("Incidents"),
        "count": sum(by_status.values()),
        "url": list_url,
        "link_label": gettext_lazy("All incidents"),
        "entries": [
            {
                "label": _("Drafts: %(n)d") % {"n": by_status.get(Incident.Status.DRAFT, 0)},
                "url": f"{list_url}?status={Incident.Status.DRAFT}",
            },
            {
                "label": _("Verified: %(n)d") % {"n": by_status.get(Incident.Status.VERIFIED, 0)},
                "url": f"{list_url}?status={Incident.Status.VERIFIED}",
            },
            {
                "label": _("Persons: %(n)d") % {"n": persons},
                "url": reverse("violations:person_list"),
            },
        ],
        "order": 20,
    }
