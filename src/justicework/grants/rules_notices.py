"""Policy rule for what the applicant is told (``ApplicantNotice``), registered in
``GrantsConfig.ready``.

==============  ==========  =============================================================
object          action      needs
==============  ==========  =============================================================
ApplicantNotice ``view``    ``own`` on its application: the applicant organisation's
                            members holding ``grant.apply`` (not co-applicants, not staff,
                            who read the decisions themselves on their own pages)
==============  ==========  =============================================================
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from justicework.core import policy
from justicework.core.models import User
from justicework.core.policy import Decision, deny
from justicework.grants.models.notices import ApplicantNotice
from justicework.grants.rules_applications import ApplicationRule

_OWN = ApplicationRule("application")


class NoticeRule:
    def can(self, user: User, action: str, obj: Any) -> Decision:
        if action != "view":
            return policy.NO_RULE
        if isinstance(obj, type):
            return deny(_("This action needs a record."))
        return _OWN.can(user, "own", obj)

    def visible(self, user: User, action: str, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if action != "view":
            return queryset.none()
        return _OWN.visible(user, "own", queryset)


def register() -> None:
    policy.register(ApplicantNotice, NoticeRule())
