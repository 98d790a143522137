"""The types module boundaries take for people: who acts, who asks.

``Actor`` writes (``None`` is the system: commands, imports run by a worker);
``Requester`` reads and is asked about by the policy (a request's user may be anonymous).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from justicework.core.models import User

Actor: TypeAlias = "User | None"
Requester: TypeAlias = "User | AnonymousUser | None"
