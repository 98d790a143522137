"""Web capture on the web: the form (an address), and the capture's page with its progress
(polled by HTMX until the worker is done), for the person who asked for it only (policy:
``Capture`` "view")."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from justicework.core import policy
from justicework.core.models import User
from justicework.evidence.actions import capture_requests
from justicework.evidence.models import Capture
from justicework.tasks.models import Progress


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


@login_required
@require_http_methods(["GET", "POST"])
def capture_page(request: HttpRequest) -> HttpResponse:
    membership = getattr(request, "membership", None)
    if membership is None:
        raise PermissionDenied(_("You are not a member of any organisation."))
    organisation = membership.organisation
    policy.require(request.user, "evidence.capture", organisation)
    url, error = "", ""
    if request.method == "POST":
        url = request.POST.get("url", "").strip()
        try:
            capture = capture_requests.request_capture(_user(request), organisation, url)
        except ValidationError as exc:
            error = " ".join(m for ms in exc.message_dict.values() for m in ms)
        else:
            return redirect("evidence:capture_detail", pk=capture.pk)
    recent = policy.visible(request.user, Capture, "view").filter(organisation=organisation)
    return render(request, "evidence/capture.html", {
        "organisation": organisation, "url": url, "error": error,
        "recent": recent.order_by("-created_at")[:10],
    }, status=422 if error else 200)  # fmt: skip


@login_required
@require_GET
def capture_detail(request: HttpRequest, pk: str) -> HttpResponse:
    capture = policy.get_or_404(
        request.user, Capture.objects.select_related("item__original", "screenshot__original"),
        "view", pk=pk,
    )  # fmt: skip
    progresses = policy.visible(request.user, Progress, "view")
    progress = progresses.filter(pk=capture.progress_id or 0).first()
    context = {"capture": capture, "progress": progress}
    if request.headers.get("HX-Request"):
        return render(request, "evidence/partials/capture_status.html", context)
    return render(request, "evidence/capture_detail.html", context)
