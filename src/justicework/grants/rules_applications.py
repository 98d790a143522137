"""Policy rules for applicants' legal entities and their applications (registered in
``GrantsConfig.ready``).

==============  ====================  ====================================================
object          action                who
==============  ====================  ====================================================
LegalEntity     ``view``, ``apply``,  members holding ``grant.apply`` in the entity's
                ``change``            organisation (``view`` also: ``programme.manage``
                                      anywhere, since staff read who applied)
LegalEntity     ``pick``              anyone holding ``grant.apply`` somewhere: the
                                      co-applicant picker lists registered entities' names
Application     ``view``              the applicant's members (``grant.apply``); members of a
                                      co-applicant (read only); ``programme.manage`` in the
                                      call's organisation once submitted (never a draft)
Application     ``change``,           the applicant's members, while a draft
                ``submit``
Application     ``withdraw``          the applicant's members, until a decision
Application     ``own``               the applicant's members ("my applications")
BudgetLine,     ``view`` / ``change`` the same action on their application
Attachment
==============  ====================  ====================================================

Reviewers reach applications through the review part's own models, not through these rules.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from justicework.core import policy
from justicework.core.actors import Requester
from justicework.core.models import User
from justicework.core.policy import ALLOW, Decision, deny
from justicework.core.roles import Capability
from justicework.grants.models import Application, Attachment, BudgetLine, Call, LegalEntity

C = Capability
S = Application.Status
#: statuses an applicant may still withdraw from (no decision yet)
WITHDRAWABLE = frozenset({S.DRAFT, S.SUBMITTED, S.IN_REVIEW})
APPLICATION_ACTIONS = frozenset({"view", "own", "change", "submit", "withdraw"})
NOT_YOURS = _("Only the applicant organisation's members may do this.")
NOT_DRAFT = _("The application is no longer a draft: it can only be withdrawn.")
DECIDED = _("A decision has been made on this application: it can no longer be withdrawn.")


def _apply_orgs(user: User) -> list[int]:
    return sorted(policy.org_ids(user, C.GRANT_APPLY))


class LegalEntityRule:
    def can(self, user: User, action: str, obj: Any) -> Decision:
        if action not in {"view", "apply", "change", "pick"}:
            return policy.NO_RULE
        if isinstance(obj, type):
            if action == "pick" and _apply_orgs(user):
                return ALLOW
            return deny(_("This action needs a record."))
        if policy.has_capability_in(user, C.GRANT_APPLY, obj.organisation_id):
            return ALLOW
        if action == "pick" and _apply_orgs(user):
            return ALLOW
        if action == "view" and policy.org_ids(user, C.PROGRAMME_MANAGE):
            return ALLOW
        return deny(NOT_YOURS)

    def visible(self, user: User, action: str, queryset: QuerySet[Any]) -> QuerySet[Any]:
        own = _apply_orgs(user)
        if action == "pick" and own:
            return queryset
        if action == "view" and policy.org_ids(user, C.PROGRAMME_MANAGE):
            return queryset
        if action in {"view", "apply", "change"}:
            return queryset.filter(organisation_id__in=own)
        return queryset.none()


def _staff_may_read(user: User, application: Application) -> bool:
    return application.submitted_at is not None and policy.has_capability_in(
        user, C.PROGRAMME_MANAGE, application.call.organisation_id
    )


def _decide(user: User, action: str, application: Application) -> Decision:
    applicant = policy.has_capability_in(user, C.GRANT_APPLY, application.applicant.organisation_id)
    if action == "view":
        if applicant or _staff_may_read(user, application):
            return ALLOW
        own = _apply_orgs(user)
        if own and application.co_applicants.filter(organisation_id__in=own).exists():
            return ALLOW
        return deny(NOT_YOURS)
    if not applicant:
        return deny(NOT_YOURS)
    if action == "own":
        return ALLOW
    if action == "withdraw":
        return ALLOW if application.status in WITHDRAWABLE else deny(DECIDED)
    return ALLOW if application.status == S.DRAFT else deny(NOT_DRAFT)


def _visible_q(user: User, action: str, prefix: str) -> Q:
    own = _apply_orgs(user)
    mine = Q(**{f"{prefix}applicant__organisation_id__in": own})
    if action == "change" or action == "submit":
        return mine & Q(**{f"{prefix}status": S.DRAFT})
    if action == "own":
        return mine
    if action == "withdraw":
        return mine & Q(**{f"{prefix}status__in": sorted(WITHDRAWABLE)})
    co = Application.objects.filter(co_applicants__organisation_id__in=own).values("pk")
    staff = sorted(policy.org_ids(user, C.PROGRAMME_MANAGE))
    return (
        mine
        | Q(**{f"{prefix}pk__in": co})
        | Q(**{f"{prefix}call__organisation_id__in": staff, f"{prefix}submitted_at__isnull": False})
    )


def may_list_submitted(user: Requester, call: Call) -> Decision:
    """May ``user`` list the call's submitted applications (staff of the call's organisation)?
    A question about the call asked here, not through a rule for ``Call`` (the calls' part)."""
    if not policy.is_authenticated(user):
        return policy.NOT_SIGNED_IN
    if policy.has_capability_in(user, C.PROGRAMME_MANAGE, call.organisation_id):
        return ALLOW
    return deny(_("Only the programme's staff see a call's applications."))


class ApplicationRule:
    """Decides for :class:`Application` (``path`` "") and the rows under one
    (``"application"``), by the application."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.prefix = f"{path}__" if path else ""

    def can(self, user: User, action: str, obj: Any) -> Decision:
        if action not in APPLICATION_ACTIONS:
            return policy.NO_RULE
        if isinstance(obj, type):
            return deny(_("This action needs a record."))
        application = getattr(obj, self.path) if self.path else obj
        return _decide(user, action, application)

    def visible(self, user: User, action: str, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if action not in APPLICATION_ACTIONS:
            return queryset.none()
        return queryset.filter(_visible_q(user, action, self.prefix))


def register() -> None:
    policy.register(LegalEntity, LegalEntityRule())
    policy.register(Application, ApplicationRule(""))
    policy.register(BudgetLine, ApplicationRule("application"))
    policy.register(Attachment, ApplicationRule("application"))
