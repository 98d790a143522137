from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from justicework.web import nav


def _url_or_empty(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def shell(request: HttpRequest) -> dict[str, Any]:
    """What every page's layout needs: the active membership and the user's others, the
    navigation links the user may follow, and the organisation switcher's URL."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"active_membership": None, "memberships": [], "nav_links": []}
    return {
        "active_membership": getattr(request, "membership", None),
        "memberships": user.active_memberships(),
        "nav_links": nav.links_for(request),
        "switch_organisation_url": _url_or_empty("core:switch_organisation"),
    }
