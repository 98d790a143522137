"""Relations between incidents (both directions) and removing one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from justicework.core import policy
from justicework.violations import actions
from justicework.violations.forms import RelationForm
from justicework.violations.models import Incident, IncidentRelation
from justicework.violations.views._common import actor, apply_errors


@require_http_methods(["GET", "POST"])
@login_required
def incident_relations(request: HttpRequest, pk: int) -> HttpResponse:
    """The incident's relations to others (both directions), and a form to add one."""
    user = request.user
    incident = policy.get_or_404(user, Incident, "change", pk=pk)
    others = policy.visible(user, Incident, "view").filter(organisation_id=incident.organisation_id)
    if request.method == "POST":
        form = RelationForm(request.POST, incidents=others)
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.relate_incidents(
                    actor(request),
                    incident,
                    data["to_incident"],
                    data["kind"],
                    note=data.get("note") or "",
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Relation recorded."))
                return redirect("violations:incident_relations", pk=incident.pk)
    else:
        form = RelationForm(incidents=others)
    visible_relations = policy.visible(user, IncidentRelation, "view")
    outgoing = list(
        visible_relations.filter(from_incident=incident, to_incident__in=others)
        .select_related("to_incident")
        .order_by("pk")
    )
    incoming = list(
        visible_relations.filter(to_incident=incident, from_incident__in=others)
        .select_related("from_incident")
        .order_by("pk")
    )
    return render(
        request,
        "violations/incident_relations.html",
        {"incident": incident, "form": form, "outgoing": outgoing, "incoming": incoming},
        status=422 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def relation_remove(request: HttpRequest, pk: int) -> HttpResponse:
    relation = policy.get_or_404(request.user, IncidentRelation, "delete", pk=pk)
    # Back to the page the button was on: either end of the relation.
    back = request.POST.get("back", "")
    incident_pk = (
        relation.to_incident_id
        if back == str(relation.to_incident_id)
        else relation.from_incident_id
    )
    actions.unrelate_incidents(actor(request), relation)
    messages.success(request, _("Relation removed."))
    return redirect("violations:incident_relations", pk=incident_pk)
