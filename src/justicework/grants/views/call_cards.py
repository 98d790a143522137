"""The calls' dashboard card (declared on ``GrantsConfig.dashboard_cards``): for programme
staff, their calls and the questions waiting for an answer; for applicants, the open calls."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from justicework.core import policy
from justicework.grants.fields import text_in
from justicework.grants.models import Call, CallAnswer

SHOWN = 5


def calls_card(request: HttpRequest) -> dict[str, Any] | None:
    membership: Any = getattr(request, "membership", None)
    user = request.user
    if membership is None or not policy.can(user, "browse_grant_calls", membership.organisation):
        return None
    if policy.can(user, "create_call", membership.organisation):
        return _staff_card(request)
    now = timezone.now()
    calls = list(
        policy.visible(user, Call)
        .filter(status=Call.Status.PUBLISHED, opens_at__lte=now, closes_at__gt=now)
        .order_by("closes_at")[:SHOWN]
    )
    entries = [
        {"label": text_in(c.title), "url": reverse("grants:call_detail", args=[c.pk]),
         "note": _("closes"), "time": c.closes_at}
        for c in calls
    ]  # fmt: skip
    return {
        "title": gettext_lazy("Open calls"),
        "entries": entries,
        "note": "" if entries else _("No call is open now."),
        "url": reverse("grants:call_list"),
        "link_label": _("All open calls"),
        "order": 60,
    }


def _staff_card(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    calls = list(policy.visible(user, Call, "change").order_by("-updated_at")[:SHOWN])
    waiting = policy.visible(user, CallAnswer, "change").filter(published_at__isnull=True).count()
    entries = [
        {"label": f"{c.reference} · {text_in(c.title)}",
         "url": reverse("grants:call_items", args=[c.pk]), "note": c.get_status_display()}
        for c in calls
    ]  # fmt: skip
    note = _("%(count)d questions wait for an answer.") % {"count": waiting} if waiting else ""
    return {
        "title": gettext_lazy("Calls for proposals"),
        "count": waiting or None,
        "entries": entries,
        "note": note,
        "url": reverse("grants:call_manage"),
        "link_label": _("Manage calls"),
        "order": 60,
    }
