"""Policy rules for programmes, calls and what hangs off a call (registered in
``GrantsConfig.ready``).

=================  ===============================  ==============================================
object             action                           needs
=================  ===============================  ==============================================
Organisation       ``create_grant_programme``,      ``programme.manage`` in the organisation
                   ``create_call``
Organisation       ``browse_grant_calls`` (the      ``programme.manage``, ``review.submit`` or
                   "Calls" link)                    ``grant.apply`` in the organisation
Organisation       the other header links (grflow): ``apply_for_grants`` (``grant.apply``),
                   ``run_grant_review`` and ``review_grant_reports`` (``programme.manage``),
                   ``review_grant_applications`` (``review.submit``), ``list_grant_awards``
                   (``programme.manage`` or ``grant.apply``)
Programme          ``view``, ``change``             ``programme.manage`` in its organisation
Call               ``view``                         staff (``programme.manage``) of its
                                                    organisation: any status; anyone signed in:
                                                    published and later (never a draft)
Call               ``change`` (edit, criteria,      ``programme.manage`` in its organisation
                   questions, status, answers)
Call               ``ask`` (a question)             anyone signed in, while the call is
                                                    published and before its closing time
Criterion,         ``view`` / ``change``            the same action on their call
Question,
CallChange
CallAnswer         ``view``                         staff: every question; others: published
                                                    answers of a call they may view
CallAnswer         ``change`` (answer, publish)     ``change`` on the call
=================  ===============================  ==============================================

Applicants must read a call to apply, so a published call is open to every signed-in account;
the drafts, the questions not yet answered and who asked them stay with the programme's staff.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.core import policy
from justicework.core.models import Organisation, User
from justicework.core.policy import ALLOW, Decision, deny
from justicework.core.roles import Capability
from justicework.grants.models import (
    Call,
    CallAnswer,
    CallChange,
    Criterion,
    Programme,
    Question,
)

C = Capability
MANAGE = C.PROGRAMME_MANAGE
#: organisation-level actions and the capabilities of which one is needed there
ORG_ACTIONS: dict[str, tuple[Capability, ...]] = {
    "create_grant_programme": (MANAGE,),
    "create_call": (MANAGE,),
    "browse_grant_calls": (MANAGE, C.REVIEW, C.GRANT_APPLY),
    # (grflow) the header links of the other parts' pages: who has something to do there
    "apply_for_grants": (C.GRANT_APPLY,),  # "My applications"
    "run_grant_review": (MANAGE,),  # the review desk: eligibility, assignment, ranking
    "review_grant_applications": (C.REVIEW,),  # the reviewer's queue
    "list_grant_awards": (MANAGE, C.GRANT_APPLY),  # the awards of one's programme, or one's own
    "review_grant_reports": (MANAGE,),  # grantees' reports to approve or return
}
NOT_ALLOWED = _("Your role in the owning organisation does not allow this.")
DRAFT_STATUS = Call.Status.DRAFT


def staff_orgs(user: User) -> set[int]:
    return policy.org_ids(user, MANAGE)


def is_staff_of(user: User, organisation_id: int | None) -> bool:
    return policy.has_capability_in(user, MANAGE, organisation_id)


def call_view_q(user: User, prefix: str = "") -> Q:
    """Calls ``user`` may read: not a draft, or a draft of an organisation they run calls in."""
    return ~Q(**{f"{prefix}status": DRAFT_STATUS}) | Q(
        **{f"{prefix}organisation_id__in": sorted(staff_orgs(user))}
    )


class CallRule:
    """Decides for :class:`Call` (``path`` "") and rows under a call (``path`` "call")."""

    def __init__(self, path: str = "") -> None:
        self.path = path
        self.prefix = f"{path}__" if path else ""

    def _call(self, obj: Any) -> Call:
        call: Call = getattr(obj, self.path) if self.path else obj
        return call

    def can(self, user: User, action: str, obj: Any) -> Decision:
        if action not in ("view", "change", "ask") or (action == "ask" and self.path):
            return policy.NO_RULE
        if isinstance(obj, type):
            return deny(_("This action needs a record."))
        call = self._call(obj)
        if is_staff_of(user, call.organisation_id):
            return ALLOW
        if action == "view" and call.status != DRAFT_STATUS:
            return ALLOW
        if action == "ask":
            if call.status == Call.Status.PUBLISHED and call.closes_at > timezone.now():
                return ALLOW
            return deny(_("Questions are taken while the call is open."))
        return deny(NOT_ALLOWED)

    def visible(self, user: User, action: str, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if action == "view":
            return queryset.filter(call_view_q(user, self.prefix))
        if action == "change":
            return queryset.filter(
                **{f"{self.prefix}organisation_id__in": sorted(staff_orgs(user))}
            )
        if action == "ask" and not self.path:
            published = Q(status=Call.Status.PUBLISHED, closes_at__gt=timezone.now())
            return queryset.filter(published | Q(organisation_id__in=sorted(staff_orgs(user))))
        return queryset.none()


class AnswerRule:
    """Questions and answers: staff see all of their calls'; others the published answers."""

    def can(self, user: User, action: str, obj: Any) -> Decision:
        if action not in ("view", "change"):
            return policy.NO_RULE
        if isinstance(obj, type):
            return deny(_("This action needs a record."))
        if is_staff_of(user, obj.call.organisation_id):
            return ALLOW
        if action == "view" and obj.published_at is not None and obj.call.status != DRAFT_STATUS:
            return ALLOW
        return deny(NOT_ALLOWED)

    def visible(self, user: User, action: str, queryset: QuerySet[Any]) -> QuerySet[Any]:
        staff = Q(call__organisation_id__in=sorted(staff_orgs(user)))
        if action == "change":
            return queryset.filter(staff)
        if action == "view":
            public = Q(published_at__isnull=False) & ~Q(call__status=DRAFT_STATUS)
            return queryset.filter(staff | public)
        return queryset.none()


class GrantsOrganisationRule:
    """The grants actions on an Organisation (:data:`ORG_ACTIONS`); other questions go to the
    rule already registered for ``Organisation``."""

    def __init__(self, base: policy.Rule | None) -> None:
        self.base = base

    @staticmethod
    def _orgs(user: User, action: str) -> set[int]:
        found: set[int] = set()
        for capability in ORG_ACTIONS[action]:
            found |= policy.org_ids(user, capability)
        return found

    def can(self, user: User, action: str, obj: Any) -> Decision:
        if action not in ORG_ACTIONS:
            return self.base.can(user, action, obj) if self.base else policy.NO_RULE
        if isinstance(obj, type) or not obj.is_active:
            return deny(_("This action needs an active organisation."))
        if obj.pk in self._orgs(user, action):
            return ALLOW
        return deny(_("Your role in this organisation does not allow this."))

    def visible(self, user: User, action: str, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if action not in ORG_ACTIONS:
            return self.base.visible(user, action, queryset) if self.base else queryset.none()
        return queryset.filter(is_active=True, pk__in=sorted(self._orgs(user, action)))


def _chain_has(rule: Any, kind: type) -> bool:
    """Is a rule of ``kind`` anywhere in the chain of wrapped rules (``base``) from ``rule``?"""
    while rule is not None:
        if isinstance(rule, kind):
            return True
        rule = getattr(rule, "base", None)
    return False


def register() -> None:
    policy.register(Programme, policy.OrganisationOwnedRule({"view": MANAGE, "change": MANAGE}))
    policy.register(Call, CallRule())
    for model in (Criterion, Question, CallChange):
        policy.register(model, CallRule("call"))
    policy.register(CallAnswer, AnswerRule())
    # Beneath the organisation-actions rule other apps extend (it stays outermost, so
    # ``add_organisation_actions`` keeps extending it); once, whatever others wrapped before.
    current = policy.rule_for(Organisation)
    if _chain_has(current, GrantsOrganisationRule):
        return
    if isinstance(current, policy.OrganisationActionsRule):
        current.base = GrantsOrganisationRule(current.base)
    else:
        policy.register(Organisation, GrantsOrganisationRule(current))
