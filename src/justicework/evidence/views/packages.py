"""Packages asked for on the web: the list's "package" action (POST; or an incident's page's
"package this incident's evidence", which sends ``incident``), the package's page with
its progress bar (polled by HTMX until the worker is done) and its download, for the person
who asked for it only (policy: ``Package`` "download")."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from justicework.core import policy, warnings
from justicework.core.models import User
from justicework.core.uses import declares
from justicework.evidence.actions import package_requests, searches
from justicework.evidence.actions import packages as actions
from justicework.evidence.models import Link, Package, SavedSearch
from justicework.tasks.models import Progress


def _user(request: HttpRequest) -> User:
    """The signed-in user (every view here is ``login_required``)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


@login_required
@require_POST
@declares("evidence.package")
def package_create(request: HttpRequest) -> HttpResponse:
    membership = getattr(request, "membership", None)
    if membership is None:
        raise PermissionDenied(_("You are not a member of any organisation."))
    ids = [int(v) for v in request.POST.getlist("item") if v.isdigit()]
    incident = request.POST.get("incident", "")
    search = request.POST.get("search", "")
    if search.isdigit():  # "package this saved search": its items as it finds them
        return _package_search(request, int(search))
    if not ids and not incident.isdigit():
        messages.error(request, _("Choose at least one item to package."))
        return redirect("evidence:item_list")
    try:
        if not ids:  # "package this incident's evidence", from the incident's page
            chosen = actions.select_items(
                _user(request), membership.organisation, None, incident_id=int(incident)
            )
            ids = [item.pk for item in chosen]
        package = package_requests.request_package(_user(request), membership.organisation, ids)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("evidence:item_list")
    return redirect("evidence:package_detail", pk=package.pk)


def _package_search(request: HttpRequest, pk: int) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]  # checked by the caller
    found = policy.get_or_404(request.user, SavedSearch, "view", pk=pk)
    try:
        selection = actions.search_selection(_user(request), found)
        package = package_requests.request_package(
            _user(request), membership.organisation, None, selection
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("evidence:item_list")
    return redirect("evidence:package_detail", pk=package.pk)


@login_required
@require_POST
def search_save(request: HttpRequest) -> HttpResponse:
    """Save the list's current filters (sent with the form) under a name."""
    membership = getattr(request, "membership", None)
    if membership is None:
        raise PermissionDenied(_("You are not a member of any organisation."))
    try:
        saved = searches.save_search(
            _user(request), membership.organisation, request.POST.get("name", ""), request.POST
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Search saved as %(name)s.") % {"name": saved.name})
    return redirect("evidence:item_list")


@login_required
@require_POST
def search_delete(request: HttpRequest, pk: int) -> HttpResponse:
    found = policy.get_or_404(request.user, SavedSearch, "view", pk=pk)
    searches.delete_search(_user(request), found)
    messages.success(request, _("Saved search %(name)s deleted.") % {"name": found.name})
    return redirect("evidence:item_list")


@login_required
@require_GET
@declares("evidence.package")
def package_detail(request: HttpRequest, pk: str) -> HttpResponse:
    package = policy.get_or_404(request.user, Package, "download", pk=pk)
    progresses = policy.visible(request.user, Progress, "view")
    progress = progresses.filter(pk=package.progress_id or 0).first()
    context: dict[str, Any] = {"package": package, "progress": progress}
    if not request.headers.get("HX-Request"):  # the safety warning: survivors in the package
        linked = policy.visible(request.user, Link, "view").filter(
            item_id__in=package.item_ids, person__isnull=False
        )
        context["safety_warnings"] = warnings.for_persons(request.user, linked.values("person_id"))
    if request.headers.get("HX-Request"):
        return render(request, "evidence/partials/package_status.html", context)
    return render(request, "evidence/package_detail.html", context)


@login_required
@require_GET
@declares("evidence.package")
def package_download(request: HttpRequest, pk: str) -> HttpResponse | FileResponse:
    package = policy.get_or_404(request.user, Package, "download", pk=pk)
    try:
        handle = actions.open_download(_user(request), package)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("evidence:package_detail", pk=package.pk)
    return FileResponse(
        handle, as_attachment=True, filename=package.file_name, content_type="application/zip"
    )
