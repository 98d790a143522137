"""The evidence vault's dashboard card (declared on ``EvidenceConfig.dashboard_cards``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from justicework.core import policy
from justicework.evidence.queries import Filters, search_items
from justicework.evidence.rules import is_tombstone

RECENT = 5


def evidence_card(request: HttpRequest) -> dict[str, Any] | None:
    """The organisation's latest evidence items and, for those who may, "upload evidence"."""
    membership: Any = getattr(request, "membership", None)
    if membership is None or not policy.can(request.user, "evidence.view", membership.organisation):
        return None
    organisation = membership.organisation
    items = search_items(request.user, Filters(organisation_id=organisation.pk))[:RECENT]
    actions = []
    if policy.can(request.user, "evidence.upload", organisation):
        actions.append({"label": _("Upload evidence"), "url": reverse("evidence:upload")})
    entries = [
        {
            "label": item.display_name,
            "url": reverse("evidence:item_detail", args=[item.pk]),
            "note": _("removed (tombstone)") if is_tombstone(item) else item.original.media_type,
            "time": item.created_at,
        }
        for item in items
    ]
    return {
        "title": gettext_lazy("Evidence"),
        "note": _("The latest files received, newest first.")
        if entries
        else _("No evidence received yet."),
        "entries": entries,
        "actions": actions,
    }
