"""The types module boundaries take for people: who acts, who asks.

``Actor`` writes (``None`` is the system: commands, imports run by a worker);
``Requester`` reads and is asked about by the policy (a request's user may be anonymous);
``signed_in(request)`` is the ``User`` of a page that requires signing in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from justicework.core.models import User

Actor: TypeAlias = "User | None"
Requester: TypeAlias = "User | AnonymousUser | None"


def signed_in(request: HttpRequest) -> User:
    """The request's user where signing in is required (``login_required`` pages): a ``User``.
    A page that forgot its decorator is refused rather than handing on an anonymous visitor."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    return request.user
