"""The programme staff's review pages: the desk (calls to run), the eligibility checklist of a
call and of one application, the assignment of reviewers, and the consolidation of an
application's reviews. Every page asks ``grants.rules_review`` first (404 for a call or
application that is missing or not the user's)."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from justicework.core.models import User
from justicework.grants import assignment as assigning
from justicework.grants import queries_review
from justicework.grants.actions_review import eligibility, scoring
from justicework.grants.fields import text_in
from justicework.grants.models import Application, Call
from justicework.grants.models.review import Assignment, EligibilityCheck, EligibilityConfirmation
from justicework.grants.models.review_scores import Consolidation
from justicework.grants.rules_review import (
    application_for_staff,
    call_for_staff,
    reviewer_orgs,
    staff_orgs,
)
from justicework.grants.views.review_common import actor, attempt


@require_http_methods(["GET"])
@login_required
def desk(request: HttpRequest) -> HttpResponse:
    """The calls the user runs as staff, and those they review for."""
    user = actor(request)
    language = get_language()
    staff = Call.objects.filter(organisation_id__in=sorted(staff_orgs(user))).order_by("-opens_at")
    reviewing = Call.objects.filter(
        organisation_id__in=sorted(reviewer_orgs(user)),
        status__in=[Call.Status.CLOSED, Call.Status.UNDER_REVIEW, Call.Status.PUBLISHED],
    ).order_by("-opens_at")
    context = {
        "staff_calls": [(c, text_in(c.title, language)) for c in staff[:200]],
        "review_calls": [(c, text_in(c.title, language)) for c in reviewing[:200]],
    }
    return render(request, "grants/review/desk.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def eligibility_list(request: HttpRequest, call_id: int) -> HttpResponse:
    user = actor(request)
    call = call_for_staff(user, call_id)
    if request.method == "POST":
        done = 0
        for app in Application.objects.filter(call=call, status=Application.Status.SUBMITTED):
            if attempt(request, eligibility.run_checks, user, app) is not None:
                done += 1
        messages.success(request, _("Checked %(n)s applications.") % {"n": done})
        return redirect("grants:review_eligibility", call_id=call.pk)
    context = {
        "call": call,
        "title": text_in(call.title),
        "rows": queries_review.eligibility_rows(call)[:2000],
        "items": len(EligibilityCheck.Item.values),
    }
    return render(request, "grants/review/eligibility_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def eligibility_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    user = actor(request)
    app = application_for_staff(user, application_id)
    if request.method == "POST":
        what = request.POST.get("action")
        if what == "run":
            attempt(request, eligibility.run_checks, user, app)
        elif what == "confirm":
            attempt(request, eligibility.confirm, user, app)
        elif what == "decide":
            check = EligibilityCheck.objects.filter(
                application=app, pk=request.POST.get("check") or 0
            ).first()
            if check is None:
                messages.error(request, _("check: choose an item of the checklist."))
            else:
                attempt(
                    request,
                    eligibility.decide_item,
                    user,
                    check,
                    request.POST.get("result", ""),
                    request.POST.get("note", ""),
                )
        return redirect("grants:review_eligibility_app", application_id=app.pk)
    context = {
        "app": app,
        "checks": EligibilityCheck.objects.filter(application=app).select_related("decided_by"),
        "confirmations": EligibilityConfirmation.objects.filter(application=app).select_related(
            "confirmed_by"
        ),
        "results": [(v, t) for v, t in EligibilityCheck.Result.choices if v != "unknown"],
    }
    return render(request, "grants/review/eligibility_detail.html", context)


def _reviewer_names(call: Call) -> dict[int, str]:
    ids = assigning.reviewer_ids(call)
    return dict(User.objects.filter(pk__in=ids).values_list("pk", "email"))


def _assign_post(request: HttpRequest, user: User, call: Call) -> None:
    what = request.POST.get("action")
    if what == "run":
        plan = attempt(request, assigning.run_assignment, user, call)
        if plan is not None:
            messages.success(request, _("%(n)s assignments made.") % {"n": len(plan.pairs)})
            for s in plan.shortfalls[:50]:
                messages.warning(
                    request,
                    _(
                        "%(ref)s has %(got)s of %(wanted)s reviewers: %(conflicted)s conflicted, "
                        "%(language)s do not read its language."
                    )
                    % {
                        "ref": s.reference,
                        "got": s.got,
                        "wanted": s.wanted,
                        "conflicted": s.conflicted,
                        "language": s.other_language,
                    },
                )
        return
    app = Application.objects.filter(call=call, pk=request.POST.get("application") or 0).first()
    if app is None:
        messages.error(request, _("application: choose an application of the call."))
        return
    if what == "add":
        reviewer = User.objects.filter(pk=request.POST.get("reviewer") or 0).first()
        if reviewer is None:
            messages.error(request, _("reviewer: choose a reviewer."))
            return
        attempt(request, assigning.assign, user, app, reviewer)
    elif what == "remove":
        found = Assignment.objects.filter(application=app, pk=request.POST.get("assignment") or 0)
        if (assignment := found.select_related("call").first()) is not None:
            attempt(request, assigning.unassign, user, assignment)


@require_http_methods(["GET", "POST"])
@login_required
def assignments(request: HttpRequest, call_id: int) -> HttpResponse:
    user = actor(request)
    call = call_for_staff(user, call_id)
    if request.method == "POST":
        _assign_post(request, user, call)
        return redirect("grants:review_assignments", call_id=call.pk)
    names = _reviewer_names(call)
    by_app: dict[int, list[Assignment]] = defaultdict(list)
    for a in Assignment.objects.filter(call=call).order_by("pk"):
        by_app[a.application_id].append(a)
    conflicts = assigning.load_pool(call).conflicts
    rows = []
    for app in assigning.load_candidates(call)[:2000]:
        taken = {a.reviewer_id for a in by_app[app.pk]}
        free = [
            (pk, name)
            for pk, name in names.items()
            if pk not in taken and not any((pk, e) in conflicts for e in app.entities)
        ]
        assigned = [(a, names.get(a.reviewer_id, "?")) for a in by_app[app.pk]]
        rows.append({"app": app, "assigned": assigned, "free": free})
    context = {
        "call": call,
        "title": text_in(call.title),
        "rows": rows,
        "wanted": call.reviews_per_application,
    }
    return render(request, "grants/review/assignments.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def consolidation(request: HttpRequest, application_id: int) -> HttpResponse:
    user = actor(request)
    app = application_for_staff(user, application_id)
    criteria = scoring.scored_criteria(app.call_id)
    if request.method == "POST":
        given = {c.pk: request.POST.get(f"score_{c.code}", "") for c in criteria}
        done = attempt(
            request,
            scoring.consolidate,
            user,
            app,
            method=request.POST.get("method", ""),
            notes=request.POST.get("notes", ""),
            scores=given,
        )
        if done is not None:
            messages.success(request, _("Consolidated."))
        return redirect("grants:review_consolidation", application_id=app.pk)
    shown = queries_review.consolidation_of(app)
    context = {
        "app": app,
        "criteria": [
            (line.criterion, text_in(line.criterion.title), line.average, line.consolidated)
            for line in shown.lines
        ],
        "reviews": [(r, [scores.get(c.pk) for c in criteria]) for r, scores in shown.reviews],
        "current": shown.current,
        "methods": Consolidation.Method.choices,
    }
    return render(request, "grants/review/consolidation.html", context)
