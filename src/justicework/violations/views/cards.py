"""The violations app's dashboard card (declared on ``ViolationsConfig.dashboard_cards``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from justicework.core import policy
from justicework.violations.models import Incident, Person


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
