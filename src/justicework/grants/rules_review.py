"""Policy rules for eligibility, conflicts, assignments, reviews and decisions (registered in
``GrantsConfig.ready``).

===================  ==========================  ============================================
object               action                      needs (in the call's organisation)
===================  ==========================  ============================================
EligibilityCheck,    ``view`` / ``manage``       ``programme.manage`` (programme staff)
confirmations,
consolidations,
thresholds,
decisions, recusals
Assignment           ``view``                    staff; or the reviewer it names, holding
                                                 ``review.submit``
Assignment           ``open`` (the application)  the reviewer it names, holding
                                                 ``review.submit``, assignment active, the
                                                 application in review, the reviewer's
                                                 declaration for the call made, no declared
                                                 conflict with the applicant or a co-applicant
Assignment           ``score``                   ``open``, no conflict declared for this
                                                 application, review not yet submitted
Assignment           ``manage``                  staff
Review, ReviewScore  ``view``                    staff; or their own reviewer
ConflictDeclaration  ``view``                    staff; or their own reviewer
ReviewerProfile      ``view`` / ``change``       its own user
===================  ==========================  ============================================

Calls, applications and legal entities have their own rules (other parts of the app); the
pages here read them as data after one of these rules allowed: :func:`call_for_staff` and
:func:`call_for_reviewer` answer 404 for a call that is missing or not the user's to review.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from justicework.core import policy
from justicework.core.models import User
from justicework.core.policy import ALLOW, Decision, deny
from justicework.core.roles import Capability
from justicework.grants.models import Application, Call
from justicework.grants.models.review import (
    Assignment,
    ConflictDeclaration,
    DeclaredConflict,
    EligibilityCheck,
    EligibilityConfirmation,
    Recusal,
    ReviewerProfile,
)
from justicework.grants.models.review_scores import (
    ConsolidatedScore,
    Consolidation,
    RankingEntry,
    RankingThreshold,
    Review,
    ReviewScore,
)
from justicework.grants.models.review_scores import (
    Decision as GrantDecision,
)

C = Capability
NOT_STAFF = _("Only the programme's staff do this.")
NOT_YOURS = _("This is not one of your assignments.")
NOT_DECLARED = _("Declare your conflicts of interest for this call first.")
CONFLICTED = _("You declared a conflict of interest with this applicant.")
RECUSED = _("You stood down from this application.")
NOT_IN_REVIEW = _("This application is not in review.")
SUBMITTED = _("Your review is submitted.")
NO_CONFLICT_YET = _("Declare whether you have a conflict with this application first.")


def staff_orgs(user: User) -> set[int]:
    return policy.org_ids(user, C.PROGRAMME_MANAGE)


def reviewer_orgs(user: User) -> set[int]:
    return policy.org_ids(user, C.REVIEW)


def may_manage(user: Any, call: Call) -> Decision:
    if not policy.is_authenticated(user):
        return policy.NOT_SIGNED_IN
    if call.organisation_id in staff_orgs(user):
        return ALLOW
    return deny(NOT_STAFF)


def may_review_in(user: Any, call: Call) -> Decision:
    if not policy.is_authenticated(user):
        return policy.NOT_SIGNED_IN
    if call.organisation_id in reviewer_orgs(user):
        return ALLOW
    return deny(_("You are not a reviewer of this programme."))


def _call_or_404(user: Any, call_id: Any, orgs: set[int]) -> Call:
    try:
        return Call.objects.select_related("programme").get(
            pk=int(call_id), organisation_id__in=sorted(orgs)
        )
    except (Call.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def call_for_staff(user: Any, call_id: Any) -> Call:
    """The call, for its programme staff; 404 for anyone else and for a missing call."""
    if not policy.is_authenticated(user):
        raise Http404
    return _call_or_404(user, call_id, staff_orgs(user))


def call_for_reviewer(user: Any, call_id: Any) -> Call:
    if not policy.is_authenticated(user):
        raise Http404
    return _call_or_404(user, call_id, reviewer_orgs(user))


def application_for_staff(user: Any, application_id: Any) -> Application:
    """An application of a call the user is staff of; 404 otherwise."""
    if not policy.is_authenticated(user):
        raise Http404
    try:
        return Application.objects.select_related("call__programme", "applicant").get(
            pk=int(application_id), call__organisation_id__in=sorted(staff_orgs(user))
        )
    except (Application.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def has_declared(user: User, call_id: int) -> bool:
    return ConflictDeclaration.objects.filter(call_id=call_id, reviewer=user).exists()


def entity_ids(application: Application) -> set[int]:
    """The applicant and its co-applicants: who a conflict may be with."""
    ids = {application.applicant_id}
    ids.update(application.co_applicants.values_list("pk", flat=True))
    return ids


def is_conflicted(user: User, application: Application) -> bool:
    return DeclaredConflict.objects.filter(
        declaration__call_id=application.call_id,
        declaration__reviewer=user,
        entity_id__in=sorted(entity_ids(application)),
    ).exists()


class StaffRule:
    """Records the programme's staff keep (``path`` leads from the record to its call)."""

    def __init__(self, path: str) -> None:
        self.path = path

    def _org(self, obj: Any) -> int:
        for part in self.path.split("__"):
            obj = getattr(obj, part)
        return int(obj.organisation_id)

    def can(self, user: User, action: str, obj: Any) -> Decision:
        if action not in ("view", "manage"):
            return policy.NO_RULE
        if isinstance(obj, type):
            return deny(_("This action needs a record."))
        return ALLOW if self._org(obj) in staff_orgs(user) else deny(NOT_STAFF)

    def visible(self, user: User, action: str, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if action not in ("view", "manage"):
            return queryset.none()
        return queryset.filter(**{f"{self.path}__organisation_id__in": sorted(staff_orgs(user))})


def _open_decision(user: User, assignment: Assignment) -> Decision:
    if assignment.reviewer_id != user.pk or assignment.call.organisation_id not in reviewer_orgs(
        user
    ):
        return deny(NOT_YOURS)
    if assignment.status != Assignment.Status.ACTIVE:
        return deny(RECUSED)
    if assignment.application.status != Application.Status.IN_REVIEW:
        return deny(NOT_IN_REVIEW)
    if not has_declared(user, assignment.call_id):
        return deny(NOT_DECLARED)
    if is_conflicted(user, assignment.application):
        return deny(CONFLICTED)
    return ALLOW


class AssignmentRule:
    def can(self, user: User, action: str, obj: Any) -> Decision:
        if isinstance(obj, type):
            return deny(_("This action needs a record."))
        if action == "manage" or (action == "view" and obj.reviewer_id != user.pk):
            return ALLOW if obj.call.organisation_id in staff_orgs(user) else deny(NOT_STAFF)
        if action == "view":
            ok = obj.call.organisation_id in reviewer_orgs(user)
            return ALLOW if ok else deny(NOT_YOURS)
        if action not in ("open", "score"):
            return policy.NO_RULE
        decision = _open_decision(user, obj)
        if not decision or action == "open":
            return decision
        if obj.no_conflict_at is None:
            return deny(NO_CONFLICT_YET)
        review = Review.objects.filter(assignment=obj).first()
        if review is not None and review.submitted_at is not None:
            return deny(SUBMITTED)
        return ALLOW

    def visible(self, user: User, action: str, queryset: QuerySet[Any]) -> QuerySet[Any]:
        own = Q(reviewer=user, call__organisation_id__in=sorted(reviewer_orgs(user)))
        if action == "view":
            return queryset.filter(own | Q(call__organisation_id__in=sorted(staff_orgs(user))))
        if action == "manage":
            return queryset.filter(call__organisation_id__in=sorted(staff_orgs(user)))
        if action in ("open", "score"):
            declared = ConflictDeclaration.objects.filter(reviewer=user).values("call_id")
            conflicted = DeclaredConflict.objects.filter(declaration__reviewer=user)
            return queryset.filter(
                own,
                status=Assignment.Status.ACTIVE,
                application__status=Application.Status.IN_REVIEW,
                call_id__in=declared,
            ).exclude(
                Q(application__applicant_id__in=conflicted.values("entity_id"))
                | Q(application__co_applicants__in=conflicted.values("entity_id"))
            )
        return queryset.none()


class OwnOrStaffRule:
    """Records of one reviewer (``reviewer_path`` to the user id, ``call_path`` to the call):
    their reviewer sees them, and the programme's staff."""

    def __init__(self, reviewer_path: str, call_path: str) -> None:
        self.reviewer_path = reviewer_path
        self.call_path = call_path

    def _get(self, obj: Any, path: str) -> Any:
        for part in path.split("__"):
            obj = getattr(obj, part)
        return obj

    def can(self, user: User, action: str, obj: Any) -> Decision:
        if action != "view":
            return policy.NO_RULE
        if isinstance(obj, type):
            return deny(_("This action needs a record."))
        org = self._get(obj, self.call_path).organisation_id
        if org in staff_orgs(user):
            return ALLOW
        if self._get(obj, self.reviewer_path) == user.pk and org in reviewer_orgs(user):
            return ALLOW
        return deny(NOT_YOURS)

    def visible(self, user: User, action: str, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if action != "view":
            return queryset.none()
        org = f"{self.call_path}__organisation_id__in"
        return queryset.filter(
            Q(**{org: sorted(staff_orgs(user))})
            | Q(**{self.reviewer_path: user.pk, org: sorted(reviewer_orgs(user))})
        )


class ProfileRule:
    def can(self, user: User, action: str, obj: Any) -> Decision:
        if action not in ("view", "change") or isinstance(obj, type):
            return policy.NO_RULE
        return ALLOW if obj.user_id == user.pk else deny(_("This is another person's profile."))

    def visible(self, user: User, action: str, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(user=user) if action in ("view", "change") else queryset.none()


def register() -> None:
    policy.register(EligibilityCheck, StaffRule("application__call"))
    policy.register(EligibilityConfirmation, StaffRule("application__call"))
    policy.register(Recusal, StaffRule("assignment__call"))
    policy.register(DeclaredConflict, StaffRule("declaration__call"))
    policy.register(Consolidation, StaffRule("application__call"))
    policy.register(ConsolidatedScore, StaffRule("consolidation__application__call"))
    policy.register(RankingThreshold, StaffRule("call"))
    policy.register(RankingEntry, StaffRule("call"))
    policy.register(GrantDecision, StaffRule("application__call"))
    policy.register(Assignment, AssignmentRule())
    policy.register(Review, OwnOrStaffRule("assignment__reviewer_id", "assignment__call"))
    policy.register(
        ReviewScore, OwnOrStaffRule("review__assignment__reviewer_id", "review__assignment__call")
    )
    policy.register(ConflictDeclaration, OwnOrStaffRule("reviewer_id", "call"))
    policy.register(ReviewerProfile, ProfileRule())
