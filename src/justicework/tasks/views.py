"""A progress page and the HTMX partial it polls until the work is finished."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from justicework.core import policy
from justicework.tasks.models import Progress

#: How many records the list shows (newest first).
LIST_LIMIT = 50


@require_GET
@login_required
def progress_list(request: HttpRequest) -> HttpResponse:
    records = policy.visible(request.user, Progress, "view").select_related("organisation")
    return render(request, "jw_tasks/progress_list.html", {"records": records[:LIST_LIMIT]})


@require_GET
@login_required
def progress_page(request: HttpRequest, pk: int) -> HttpResponse:
    progress = policy.get_or_404(request.user, Progress, "view", pk=pk)
    return render(request, "jw_tasks/progress.html", {"progress": progress})


@require_GET
@login_required
def progress_partial(request: HttpRequest, pk: int) -> HttpResponse:
    progress = policy.get_or_404(request.user, Progress, "view", pk=pk)
    response = render(request, "jw_tasks/partials/progress.html", {"progress": progress})
    response["Cache-Control"] = "no-store"
    return response
