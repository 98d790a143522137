"""Policy rules for ``law`` (registered in ``LawConfig.ready``).

=============  ========================================  =====================================
object         action                                    needs
=============  ========================================  =====================================
User (class)   ``law.catalogue.view`` (the catalogue of  a signed-in, active account; no
               crimes: command, API)                     organisation or role
=============  ========================================  =====================================

The catalogue is public law (the Statute, the Elements of Crimes, treaties) restated in the
project's words: it holds no personal data and nothing of any organisation, so no capability
decides it. It is still asked of the policy, like every read, so it stays behind sign-in as the
rest of the API does and a later change (e.g. members only) is made here, once. The action is
asked of the ``User`` class, as the platform-wide ``view_all`` is; the rule already registered
for ``User`` keeps answering every other action.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from justicework.core import policy
from justicework.core.models import User
from justicework.core.policy import ALLOW, Decision, Rule

#: Actions asked of the ``User`` class that any signed-in, active account may do.
SIGNED_IN_ACTIONS = frozenset({"law.catalogue.view"})


class PlatformActionsRule:
    """Answers :data:`SIGNED_IN_ACTIONS` on the ``User`` class (the policy has already refused
    anonymous and inactive users); any other question goes to ``base``, core's own rule."""

    def __init__(self, base: Rule | None) -> None:
        self.base = base

    def can(self, user: User, action: str, obj: Any) -> Decision:
        if action in SIGNED_IN_ACTIONS and obj is User:
            return ALLOW
        return self.base.can(user, action, obj) if self.base else policy.NO_RULE

    def visible(self, user: User, action: str, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.base is None:
            return queryset.none()
        return self.base.visible(user, action, queryset)


def register() -> None:
    current = policy.rule_for(User)
    if not isinstance(current, PlatformActionsRule):
        policy.register(User, PlatformActionsRule(current))
