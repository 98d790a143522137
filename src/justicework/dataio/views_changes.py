"""A run's changed rows (a corrected release of a file already imported): the diff on the run's
page (``changes_context``) and applying the chosen rows (``run_changes``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from justicework.core import policy
from justicework.core.actors import signed_in
from justicework.dataio import actions, runs
from justicework.dataio.models import ImportRun, RowChange


def changes_context(request: HttpRequest, run: ImportRun) -> dict[str, Any]:
    """What the run page's changed-rows section shows: counts, and after a clean check with the
    file at hand the diff of the first pending rows, as the user may see it."""
    pending = RowChange.objects.filter(run=run, applied=False).count()
    context: dict[str, Any] = {
        "changes_pending": pending,
        "changes_unchanged": max(run.skipped_rows - run.changed_rows, 0),
        "changes_new": max(run.total_rows - run.error_count - run.skipped_rows, 0),
        "change_diffs": [],
        "changes_blocked": "",
        "changes_more": 0,
    }
    if not pending:
        return context
    if run.status != ImportRun.Status.VALID or not runs.file_intact(run):
        context["changes_blocked"] = _(
            "Changed rows can be reviewed and applied after a clean check, while the uploaded "
            "file is kept (importing the new rows removes it)."
        )
        return context
    try:
        context["change_diffs"] = actions.run_diff(signed_in(request), run)
    except ValidationError as exc:
        context["changes_blocked"] = " ".join(exc.messages)
    context["changes_more"] = max(pending - len(context["change_diffs"]), 0)
    decision = policy.can(request.user, "apply_changes", run)
    context["changes_allowed"], context["changes_denied"] = bool(decision), decision.reason
    return context


def _chosen(request: HttpRequest, run: ImportRun) -> set[int]:
    """The rows ticked on the page, and with "rest" the pending rows the page did not show."""
    chosen = {int(v) for v in request.POST.getlist("rows") if v.isdigit()}
    if request.POST.get("rest"):
        shown = {int(v) for v in request.POST.getlist("shown") if v.isdigit()}
        pending = RowChange.objects.filter(run=run, applied=False).values_list("row", flat=True)
        chosen |= set(pending) - shown
    return chosen


@require_POST
@login_required
def run_changes(request: HttpRequest, pk: int) -> HttpResponse:
    run = policy.get_or_404(request.user, ImportRun, "view", pk=pk)
    chosen = _chosen(request, run)
    try:
        if not chosen:
            raise ValidationError(_("No changed row is chosen."))
        applied = actions.apply_changes(
            signed_in(request), run, chosen, request.POST.get("reason", "")
        )
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            ngettext(
                "%(n)s changed row applied to the records (audited).",
                "%(n)s changed rows applied to the records (audited).",
                applied,
            )
            % {"n": applied},
        )
    return redirect("dataio:run", pk=run.pk)
