"""The reviewer's pages: their languages and queue, the conflict declaration for a call (before
any of its applications opens for them), and one assigned application (blind when the call
says so) with the declaration for it and the scoring form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from justicework.audit.chain import record
from justicework.core import policy
from justicework.core.models import User
from justicework.grants.actions_review import conflicts, profile, scoring
from justicework.grants.fields import language_codes, text_in
from justicework.grants.models import LegalEntity
from justicework.grants.models.review import (
    Assignment,
    ConflictDeclaration,
    ConflictKind,
    DeclaredConflict,
    ReviewerProfile,
)
from justicework.grants.models.review_scores import Review, ReviewScore
from justicework.grants.rules_review import NOT_DECLARED, call_for_reviewer
from justicework.grants.views.review_common import actor, attempt, reviewer_view


@require_http_methods(["GET", "POST"])
@login_required
def queue(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    if request.method == "POST":
        if attempt(request, profile.set_languages, user, request.POST.getlist("languages")):
            messages.success(request, _("Languages saved."))
        return redirect("grants:review_queue")
    rows = (
        policy.visible(user, Assignment, "view")
        .filter(reviewer=user)
        .select_related("application", "call", "review")
        .order_by("call_id", "application__reference")
    )
    declared = set(
        ConflictDeclaration.objects.filter(reviewer=user).values_list("call_id", flat=True)
    )
    mine = ReviewerProfile.objects.filter(user=user).values_list("languages", flat=True).first()
    context = {
        "rows": [
            (a, text_in(a.call.title), a.call_id in declared, _review_state(a)) for a in rows[:1000]
        ],
        "review_languages": [(code, code in (mine or [])) for code in language_codes()],
    }
    return render(request, "grants/review/queue.html", context)


def _review_state(assignment: Assignment) -> str:
    if assignment.status == Assignment.Status.RECUSED:
        return str(_("recused"))
    review = getattr(assignment, "review", None)
    if review is not None and review.submitted_at:
        return str(_("submitted"))
    return str(_("draft")) if review is not None else str(_("to do"))


def _entity_choices(call: Any) -> list[LegalEntity]:
    return conflicts.applicant_entities(call)


@require_http_methods(["GET", "POST"])
@login_required
def declare(request: HttpRequest, call_id: int) -> HttpResponse:
    user = actor(request)
    call = call_for_reviewer(user, call_id)
    entities = _entity_choices(call)
    if request.method == "POST":
        by_pk = {str(e.pk): e for e in entities}
        chosen = [
            (by_pk[pk], request.POST.get(f"kind_{pk}", ""), request.POST.get(f"note_{pk}", ""))
            for pk in request.POST.getlist("entity")
            if pk in by_pk
        ]
        if request.POST.get("none") != "1" and not chosen:
            messages.error(request, _("entity: tick the organisations, or declare none."))
        elif attempt(request, conflicts.declare_for_call, user, call, chosen) is not None:
            messages.success(request, _("Declaration recorded."))
            return redirect("grants:review_queue")
        return redirect("grants:review_declare", call_id=call.pk)
    declaration = ConflictDeclaration.objects.filter(call=call, reviewer=user).first()
    declared = (
        dict(
            DeclaredConflict.objects.filter(declaration=declaration).values_list(
                "entity_id", "kind"
            )
        )
        if declaration
        else {}
    )
    context = {
        "call": call,
        "title": text_in(call.title),
        "declaration": declaration,
        "entities": [(e, declared.get(e.pk)) for e in entities],
        "kinds": ConflictKind.choices,
    }
    return render(request, "grants/review/declare.html", context)


def _own_assignment(user: User, pk: int) -> Assignment:
    queryset = Assignment.objects.filter(reviewer=user).select_related(
        "call__programme", "application__applicant"
    )
    return policy.get_or_404(user, queryset, "view", pk=pk)


def _post_assignment(request: HttpRequest, user: User, assignment: Assignment) -> None:
    what = request.POST.get("action")
    if what == "declare":
        kind = request.POST.get("kind", "") if request.POST.get("conflict") == "1" else ""
        attempt(
            request,
            conflicts.declare_for_application,
            user,
            assignment,
            kind,
            request.POST.get("note", ""),
        )
    elif what in ("save", "submit"):
        criteria = scoring.scored_criteria(assignment.call_id)
        scores = {
            c.pk: (
                request.POST.get(f"score_{c.code}", ""),
                request.POST.get(f"comment_{c.code}", ""),
            )
            for c in criteria
        }
        done = attempt(
            request, scoring.save_review, user, assignment, scores, submit=what == "submit"
        )
        if done is not None:
            messages.success(request, _("Review submitted.") if what == "submit" else _("Saved."))


@require_http_methods(["GET", "POST"])
@login_required
def assignment_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = actor(request)
    assignment = _own_assignment(user, pk)
    decision = policy.can(user, "open", assignment)
    if not decision:
        if decision.reason == NOT_DECLARED:
            messages.info(request, str(NOT_DECLARED))
            return redirect("grants:review_declare", call_id=assignment.call_id)
        raise Http404
    if request.method == "POST":
        _post_assignment(request, user, assignment)
        return redirect("grants:review_assignment", pk=assignment.pk)
    application = assignment.application
    record(
        user,
        "grants.review.application_opened",
        assignment,
        organisation_id=assignment.call.organisation_id,
    )
    review = Review.objects.filter(assignment=assignment).first()
    given = {s.criterion_id: s for s in ReviewScore.objects.filter(review=review)} if review else {}
    criteria = scoring.scored_criteria(assignment.call_id)
    context = {
        "assignment": assignment,
        "view": reviewer_view(application, get_language() or "en"),
        "review": review,
        "can_score": bool(policy.can(user, "score", assignment)),
        "criteria": [(c, text_in(c.title), text_in(c.guidance), given.get(c.pk)) for c in criteria],
        "kinds": ConflictKind.choices,
    }
    return render(request, "grants/review/assignment.html", context)
