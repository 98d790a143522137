from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def shell(request: HttpRequest) -> dict[str, Any]:
    """What every page's layout needs: the active membership and the user's others."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"active_membership": None, "memberships": []}
    return {
        "active_membership": getattr(request, "membership", None),
        "memberships": user.active_memberships(),  # type: ignore[union-attr]  # our User
    }
