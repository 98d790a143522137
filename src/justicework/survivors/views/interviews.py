"""Interviews of a survivor: the list (narratives folded), the earlier accounts shown before a
new interview and the form with its "does this interview add value?" reason, unfolding a
narrative (an audited read), and the report of survivors interviewed too often. Runs under the
use ``survivors.interviews`` (documentation: a withdrawn consent closes the pages)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from justicework.core import policy
from justicework.survivors import actions, interview_history, safety
from justicework.survivors.forms_interviews import InterviewForm
from justicework.survivors.models import Interview, SurvivorFile
from justicework.survivors.views.safety import _actor, survivor_file
from justicework.violations.models import Person


def _page(
    request: HttpRequest, person: Person, file: SurvivorFile, *,
    form: InterviewForm | None = None, unfolded: tuple[int, str, str] | None = None,
    status: int = 200,
) -> HttpResponse:  # fmt: skip
    earlier = interview_history.earlier_accounts(_actor(request), file)
    if unfolded is not None:  # the one narrative just read (and audited), shown open
        for interview in earlier.interviews:
            if interview.pk == unfolded[0]:
                interview.unfolded = {unfolded[1]: unfolded[2]}  # type: ignore[attr-defined]
    may_record = bool(policy.can(request.user, "record_interview", file))
    if form is None and may_record:
        now = timezone.localtime().replace(second=0, microsecond=0)
        form = InterviewForm(initial={"held_at": now, "preferred_gender": "not_asked"})
    context: dict[str, Any] = {
        "person": person,
        "earlier": earlier,
        "form": form,
        "safety_warnings": safety.warnings_for(request.user, person),
    }
    response = render(request, "survivors/interviews.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@login_required
def interview_list(request: HttpRequest, pk: int) -> HttpResponse:
    person, file = survivor_file(request, pk, "view_interviews")
    return _page(request, person, file)


def _data(form: InterviewForm) -> actions.InterviewData:
    data = dict(form.cleaned_data)
    if timezone.is_naive(data["held_at"]):
        data["held_at"] = timezone.make_aware(data["held_at"])
    data["breaks"] = data.get("breaks") or 0
    return actions.InterviewData(**data)


@require_POST
@login_required
def interview_record(request: HttpRequest, pk: int) -> HttpResponse:
    person, file = survivor_file(request, pk, "record_interview")
    form = InterviewForm(request.POST)
    if form.is_valid():
        try:
            actions.record_interview(_actor(request), file, _data(form))
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Interview recorded."))
            return redirect("survivors:interviews", pk=person.pk)
    return _page(request, person, file, form=form, status=422)


@require_POST
@login_required
def narrative_unfold(request: HttpRequest, pk: int, interview_pk: int, part: str) -> HttpResponse:
    """Log the read, then return the narrative: the fragment for HTMX, else the page with it
    open."""
    person, file = survivor_file(request, pk, "view_interviews")
    found = policy.get_or_404(
        request.user, Interview.objects.defer("narrative", "sexual_violence_narrative"),
        "view", pk=interview_pk, file=file,
    )  # fmt: skip
    try:
        text = actions.unfold_narrative(_actor(request), found, part)
    except ValidationError as exc:
        raise PermissionDenied(" ".join(exc.messages)) from exc
    if request.headers.get("HX-Request"):
        response = render(request, "survivors/partials/narrative.html", {"text": text})
        response["Cache-Control"] = "no-store"
        return response
    return _page(request, person, file, unfolded=(found.pk, part, text))


@require_GET
@login_required
def interview_report(request: HttpRequest) -> HttpResponse:
    """Survivors interviewed more than ``SURVIVORS_INTERVIEW_LIMIT`` times."""
    rows = interview_history.interviewed_often(_actor(request))
    context = {"rows": rows, "limit": settings.SURVIVORS_INTERVIEW_LIMIT}
    response = render(request, "survivors/interview_report.html", context)
    response["Cache-Control"] = "no-store"
    return response
