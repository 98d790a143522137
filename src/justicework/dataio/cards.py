"""The import app's dashboard card (declared on ``DataIOConfig.dashboard_cards``): the user's
latest imports and where each stands."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from justicework.core import policy
from justicework.dataio import schema as schemas
from justicework.dataio.models import ImportRun

#: How many of the user's imports the card lists.
RECENT_RUNS = 5


def imports_card(request: HttpRequest) -> dict[str, Any] | None:
    """The user's latest imports in the active organisation (1 query beyond the policy's
    check); hidden for those who may not import."""
    user = request.user
    membership: Any = getattr(request, "membership", None)
    if membership is None or not policy.can(user, "import", membership.organisation):
        return None
    runs = (
        policy.visible(user, ImportRun, "view")
        .filter(organisation=membership.organisation, created_by_id=user.pk)
        .only("id", "filename", "status", "kind", "created_at")
        .order_by("-created_at", "-id")[:RECENT_RUNS]
    )
    entries = [
        {
            "label": run.filename,
            "url": reverse("dataio:run", args=[run.pk]),
            "note": run.get_status_display(),
            "time": run.created_at,
        }
        for run in runs
    ]
    card: dict[str, Any] = {
        "title": gettext_lazy("Your imports"),
        "note": "" if entries else _("You have not imported a file yet."),
        "entries": entries,
        "order": 30,
    }
    kinds = list(schemas.kinds())
    if kinds:  # the page of the first kind lists the organisation's imports of that kind
        card["url"] = reverse("dataio:index", args=[kinds[0]])
        card["link_label"] = gettext_lazy("Imports")
    return card
