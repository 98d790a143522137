"""The legal qualification of one violation: the suggested crimes with their reasons and the
elements still to be established, the decisions taken, and the form to decide (accept, reject,
edit, propose). For the violation's organisation's admins and legal analysts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from justicework.core import policy
from justicework.core.actors import signed_in
from justicework.core.models import User
from justicework.law.actions_qualifications import decide_qualification
from justicework.law.models import Qualification
from justicework.law.qualification_map import crimes_by_id
from justicework.law.qualification_queries import pattern_rule, suggestions_for
from justicework.law.rules_qualifications import QUALIFY
from justicework.violations.models import Violation


def _violation(user: User, pk: int) -> Violation:
    """The violation, 404 unless the user may see it, 403 unless they may qualify it."""
    violation = policy.get_or_404(
        user, Violation.objects.select_related("incident", "organisation"), "view", pk=pk
    )
    policy.require(user, QUALIFY, violation.organisation)
    return violation


def crime_choices() -> list[tuple[str, str]]:
    language = (translation.get_language() or "en").split("-")[0]
    return [(cid, f"{cid} · {crime.title(language)}") for cid, crime in crimes_by_id().items()]


def _context(
    user: User, violation: Violation, errors: dict[str, Any] | None = None
) -> dict[str, Any]:
    (result,) = suggestions_for(user, Violation.objects.filter(pk=violation.pk))
    decisions = list(
        policy.visible(user, Qualification)
        .filter(violation=violation)
        .select_related("analyst")
        .order_by("-decided_at", "-pk")
    )
    decided = {q.crime_id: q for q in decisions} | {
        q.suggested_crime_id: q for q in decisions if q.suggested_crime_id
    }
    return {
        "violation": violation,
        "incident": violation.incident,
        "result": result,
        "rows": [(s, decided.get(s.crime_id)) for s in result.suggestions],
        "decisions": decisions,
        "choices": crime_choices(),
        "rule": pattern_rule(),
        "errors": errors or {},
    }


@login_required
@require_GET
def violation_qualification(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    violation = _violation(user, pk)
    return render(request, "law/qualification/violation.html", _context(user, violation))


@login_required
@require_POST
def violation_qualification_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    violation = _violation(user, pk)
    post = request.POST
    try:
        decide_qualification(
            user,
            violation,
            decision=post.get("decision", ""),
            crime_id=post.get("crime_id", ""),
            new_crime_id=post.get("new_crime_id", ""),
            note=post.get("note", ""),
        )
    except ValidationError as exc:
        errors = {"crime": post.get("crime_id", ""), "messages": exc.messages}
        context = _context(user, violation, errors)
        return render(request, "law/qualification/violation.html", context, status=400)
    messages.success(request, _("The decision is recorded."))
    return redirect("law:violation_qualification", pk=violation.pk)
