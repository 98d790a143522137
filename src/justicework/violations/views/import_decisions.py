"""The decision on a flagged row of an import's dry run (issue 11): link its victim to the
likely duplicate person, or keep it new. One small HTMX form per flagged row on the run page
(``violations/partials/run_duplicates.html``); without JavaScript the form posts and the page
comes back. Writes through ``actions.decide_import_duplicate`` (policy, checks, audit)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from justicework.core import policy
from justicework.dataio.models import ImportRun
from justicework.violations import actions, import_decisions, io
from justicework.violations.views._common import actor


@require_POST
@login_required
def import_duplicate_decide(request: HttpRequest, pk: int, row: int) -> HttpResponse:
    run = policy.get_or_404(
        request.user,
        ImportRun.objects.filter(kind=io.KIND).select_related("organisation"),
        "edit",
        pk=pk,
    )
    error = ""
    try:
        actions.decide_import_duplicate(actor(request), run, row, request.POST.get("choice", ""))
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if not getattr(request, "htmx", False):
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Decision saved for row %(row)s.") % {"row": row})
        return redirect("dataio:run", pk=run.pk)
    item = next((i for i in import_decisions.flagged_rows(request.user, run) if i.row == row), None)
    if item is None:
        raise Http404
    return render(
        request,
        "violations/partials/run_duplicate_row.html",
        # 200 with the reason in the fragment: htmx swaps no 4xx answer.
        {"run": run, "item": item, "error": error, "saved": not error},
    )
