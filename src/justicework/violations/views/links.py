"""What links an act to others: perpetrators (units, persons), persons in a role (witnesses,
sources) and sources, on the act and on the incident.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from justicework.core import policy
from justicework.violations import actions, views
from justicework.violations.forms import PerpetrationForm, PersonLinkForm
from justicework.violations.forms.common import picked_number
from justicework.violations.models import (
    Incident,
    Perpetration,
    Person,
    PersonRole,
    Source,
    Violation,
)
from justicework.violations.views._common import (
    actor,
    apply_errors,
    creatable,
    error_message,
    organisation_persons,
    organisation_units,
)


@require_POST
@login_required
def source_unlink(request: HttpRequest, pk: int, source_pk: int) -> HttpResponse:
    """Take a source off an incident (the source itself stays)."""
    incident = policy.get_or_404(request.user, Incident, "change", pk=pk)
    source = policy.get_or_404(
        request.user, Source.objects.filter(incidents=incident), "change", pk=source_pk
    )
    actions.unlink_source(actor(request), source, incident=incident)
    messages.success(request, _("Source unlinked from the incident."))
    return redirect(f"{reverse('violations:incident_detail', args=[incident.pk])}#sources")


def _violation_links_page(
    request: HttpRequest,
    violation: Violation,
    *,
    perpetration_form: PerpetrationForm | None = None,
    person_form: PersonLinkForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The violation's links: perpetrators (units) and persons (witnesses, sources), each with
    a form to add one and a button to remove one."""
    user = request.user
    org_id = violation.organisation_id
    perpetrations = list(
        Perpetration.objects.filter(violation=violation)
        .select_related("unit")
        .prefetch_related(Prefetch("person", queryset=Person.objects.only("id", "code")))
        .order_by("pk")
    )
    roles = list(
        PersonRole.objects.filter(violation=violation)
        .select_related("person")
        .only("id", "role", "violation_id", "person_id", "person__code")
        .order_by("pk")
    )
    sources = list(
        policy.visible(user, Source, "view").filter(violations=violation).order_by("-date", "pk")
    )
    linkable = list(
        policy.visible(user, Source, "change")
        .filter(incidents=violation.incident_id)
        .exclude(pk__in=[source.pk for source in sources])
        .only("id", "title", "reliability", "credibility")
        .order_by("-date", "pk")[: views.TARGET_LIMIT]
    )
    return render(
        request,
        "violations/violation_links.html",
        {
            "violation": violation,
            "incident": violation.incident,
            "perpetrations": perpetrations,
            "roles": roles,
            "sources": sources,
            "linkable_sources": linkable,
            "perpetration_form": perpetration_form
            or PerpetrationForm(
                units=organisation_units(user, org_id),
                persons=organisation_persons(user, org_id),
            ),
            "person_form": person_form
            or PersonLinkForm(persons=organisation_persons(user, org_id)),
            **creatable(request),
        },
        status=status,
    )


def _changeable_violation(request: HttpRequest, pk: int) -> Violation:
    return policy.get_or_404(
        request.user, Violation.objects.select_related("incident"), "change", pk=pk
    )


def _violation_links_url(violation_pk: int) -> str:
    return reverse("violations:violation_links", args=[violation_pk])


@require_GET
@login_required
def violation_links(request: HttpRequest, pk: int) -> HttpResponse:
    return _violation_links_page(request, _changeable_violation(request, pk))


@require_POST
@login_required
def perpetration_add(request: HttpRequest, pk: int) -> HttpResponse:
    violation = _changeable_violation(request, pk)
    org_id = violation.organisation_id
    form = PerpetrationForm(
        request.POST,
        units=organisation_units(request.user, org_id),
        persons=organisation_persons(request.user, org_id),
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.add_perpetration(
                actor(request),
                violation,
                unit=data.get("unit"),
                person=data.get("person"),
                involvement=data["involvement"],
                note=data.get("note") or "",
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Perpetrator added."))
            return redirect(_violation_links_url(violation.pk))
    return _violation_links_page(request, violation, perpetration_form=form, status=422)


@require_POST
@login_required
def perpetration_remove(request: HttpRequest, pk: int) -> HttpResponse:
    perpetration = policy.get_or_404(request.user, Perpetration, "delete", pk=pk)
    violation_pk = perpetration.violation_id
    actions.remove_perpetration(actor(request), perpetration)
    messages.success(request, _("Perpetrator removed."))
    return redirect(_violation_links_url(violation_pk))


@require_POST
@login_required
def person_role_add(request: HttpRequest, pk: int) -> HttpResponse:
    violation = _changeable_violation(request, pk)
    form = PersonLinkForm(
        request.POST, persons=organisation_persons(request.user, violation.organisation_id)
    )
    if form.is_valid():
        try:
            actions.link_person(
                actor(request), violation, form.cleaned_data["code"], form.cleaned_data["role"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Person linked."))
            return redirect(_violation_links_url(violation.pk))
    return _violation_links_page(request, violation, person_form=form, status=422)


@require_POST
@login_required
def person_role_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Unlink a witness or a source (the victim is changed on its own, not here)."""
    link = policy.get_or_404(
        request.user,
        PersonRole.objects.exclude(role=PersonRole.Role.VICTIM).select_related("person"),
        "delete",
        pk=pk,
    )
    violation_pk = link.violation_id
    actions.unlink_person(actor(request), link)
    messages.success(request, _("Person unlinked."))
    return redirect(_violation_links_url(violation_pk))


@require_POST
@login_required
def violation_source_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Link one of the incident's sources to this act too."""
    violation = _changeable_violation(request, pk)
    source = policy.get_or_404(
        request.user,
        Source.objects.filter(incidents=violation.incident_id),
        "change",
        pk=request.POST.get("source", ""),
    )
    actions.link_source(actor(request), source, violation=violation)
    messages.success(request, _("Source linked to the act."))
    return redirect(_violation_links_url(violation.pk) + "#sources")


@require_POST
@login_required
def incident_source_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Link a source already recorded (for another incident, say) to this incident, by its
    number (shown in the list of sources). A bad number changes nothing and says why."""
    incident = policy.get_or_404(request.user, Incident, "change", pk=pk)
    back = f"{reverse('violations:incident_detail', args=[incident.pk])}#sources"
    typed = request.POST.get("source", "").strip()
    raw = picked_number(typed)
    if raw is None:
        messages.error(request, _("Give the number of a source, as in the list of sources (#12)."))
        return redirect(back)
    source = (
        policy.visible(request.user, Source, "change")
        .filter(pk=int(raw), organisation_id=incident.organisation_id)
        .first()
    )
    if source is None or not policy.can(request.user, "change", source):
        messages.error(
            request,
            _("There is no source #%(number)s of this incident's organisation that you may link.")
            % {"number": raw},
        )
        return redirect(back)
    if source.incidents.filter(pk=incident.pk).exists():
        messages.info(request, _("This source is already linked to the incident."))
        return redirect(back)
    try:
        actions.link_source(actor(request), source, incident=incident)
    except ValidationError as exc:
        messages.error(request, error_message(exc))
    else:
        messages.success(request, _("Source linked to the incident."))
    return redirect(back)


@require_POST
@login_required
def violation_source_unlink(request: HttpRequest, pk: int, source_pk: int) -> HttpResponse:
    violation = _changeable_violation(request, pk)
    source = policy.get_or_404(
        request.user, Source.objects.filter(violations=violation), "change", pk=source_pk
    )
    actions.unlink_source(actor(request), source, violation=violation)
    messages.success(request, _("Source unlinked from the act."))
    return redirect(_violation_links_url(violation.pk) + "#sources")
