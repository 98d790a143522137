"""Sources: recording one for an incident or one of its acts, correcting it, the list."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from justicework.core import policy
from justicework.violations import actions, views
from justicework.violations.forms import SourceForm
from justicework.violations.models import Incident, Source, Violation
from justicework.violations.views._common import actor, apply_errors, vocab_label


def _source_targets(incident: Incident) -> list[tuple[str, str]]:
    """Where a new source can be linked: the incident or one of its first acts (in date order;
    an incident with thousands of acts links the source to the incident instead)."""
    targets = [("incident", str(_("The incident as a whole")))]
    acts = (
        Violation.objects.filter(incident=incident)
        .only("id", "type", "start_date", "date_precision")
        .order_by(F("start_date").asc(nulls_last=True), "pk")[: views.TARGET_LIMIT]
    )
    for act in acts:
        when = date_format(act.start_date, "DATE_FORMAT") if act.start_date else _("date unknown")
        label = vocab_label("violation_types", act.type)
        targets.append((f"violation-{act.pk}", f"#{act.pk} {label} ({when})"))
    return targets


@require_http_methods(["GET", "POST"])
@login_required
def source_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a source (Admiralty grade) and link it to the incident or one of its acts."""
    incident = policy.get_or_404(
        request.user, Incident.objects.select_related("organisation"), "change", pk=pk
    )
    policy.require(request.user, "create_source", incident.organisation)
    targets = _source_targets(incident)
    if request.method == "POST":
        form = SourceForm(request.POST, targets=targets)
        if form.is_valid():
            data = form.cleaned_data
            link_to: str = data["link_to"]
            links: dict[str, Any] = {"incidents": [incident]}
            if link_to.startswith("violation-"):
                violation = policy.get_or_404(
                    request.user,
                    Violation.objects.filter(incident=incident),
                    "change",
                    pk=link_to.removeprefix("violation-"),
                )
                links = {"violations": [violation]}
            try:
                actions.create_source(
                    actor(request), incident.organisation, **form.source_fields(), **links
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Source recorded."))
                return redirect(
                    f"{reverse('violations:incident_detail', args=[incident.pk])}#sources"
                )
    else:
        initial = {}
        wanted = request.GET.get("violation", "")
        if wanted.isdigit() and any(v == f"violation-{wanted}" for v, _l in targets):
            initial["link_to"] = f"violation-{wanted}"
        form = SourceForm(initial=initial, targets=targets)
    return render(
        request,
        "violations/source_form.html",
        {"form": form, "incident": incident},
        status=422 if request.method == "POST" else 200,
    )


SOURCE_EDITABLE = ("kind", "title", "description", "reliability", "credibility", "language")


@require_http_methods(["GET", "POST"])
@login_required
def source_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a source or its grade; only fields that really change are written (audited)."""
    source = policy.get_or_404(request.user, Source, "change", pk=pk)
    if request.method == "POST":
        form = SourceForm(request.POST, targets=None)
        if form.is_valid():
            data = form.cleaned_data
            wanted = {name: data.get(name) or "" for name in SOURCE_EDITABLE}
            wanted["language"] = str(wanted["language"]).strip().lower()
            wanted.update(date=data.get("date"), url=data.get("url") or "")
            changes = {k: v for k, v in wanted.items() if getattr(source, k) != v}
            try:
                if changes:
                    actions.update_source(actor(request), source, **changes)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Source saved."))
                return redirect("violations:source_list")
    else:
        form = SourceForm(
            initial={name: getattr(source, name) for name in (*SOURCE_EDITABLE, "date", "url")},
            targets=None,
        )
    return render(
        request,
        "violations/source_form.html",
        {"form": form, "source": source},
        status=422 if request.method == "POST" else 200,
    )


@require_GET
@login_required
def source_list(request: HttpRequest) -> HttpResponse:
    """Sources the user may see, newest first, ``SOURCE_PAGE`` at a time (``?after=<id>``),
    each with the incidents it documents that the user may open."""
    user = request.user
    sources = policy.visible(user, Source, "view").select_related("organisation")
    after = request.GET.get("after", "")
    if after.isdigit():
        sources = sources.filter(pk__lt=int(after))
    page = list(
        sources.prefetch_related(
            Prefetch(
                "incidents",
                queryset=policy.visible(user, Incident, "view").only("id", "title"),
                to_attr="visible_incidents",
            )
        ).order_by("-pk")[: views.SOURCE_PAGE + 1]
    )
    more = len(page) > views.SOURCE_PAGE
    page = page[: views.SOURCE_PAGE]
    for source in page:  # the rule answers from the user's cached memberships: no query
        source.can_edit = bool(  # type: ignore[attr-defined]  # display-only attribute
            policy.can(user, "change", source)
        )
    return render(
        request,
        "violations/source_list.html",
        {
            "sources": page,
            "next_after": page[-1].pk if more and page else None,
            "source_url_prefix": reverse("violations:source_list"),
        },
    )
