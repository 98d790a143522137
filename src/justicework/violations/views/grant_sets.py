"""Need-to-know on a set of persons in one decision: the persons of an import run, or the
persons of the incident list's current search and filters (what an export of that list
would hold). One action (``grant_need_to_know_for_set``), one audit entry; admins only
(``grant_need_to_know_set``: ``identity.grant``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from justicework.core import policy
from justicework.core.models import Membership, Organisation, User
from justicework.dataio.models import ImportedRow, ImportRun
from justicework.violations import actions, io, queries, rules
from justicework.violations.forms import GrantSetForm, IncidentFilterForm, default_expiry
from justicework.violations.models import Person, PersonRole, Unit
from justicework.violations.views._common import active_organisation, actor, apply_errors


def _run_persons(user: Any, organisation: Organisation, run_id: int) -> QuerySet[Person]:
    """The persons linked to the acts an import run created (read from the run's row keys)."""
    run = policy.get_or_404(
        user, ImportRun.objects.filter(organisation=organisation, kind=io.KIND), "view", pk=run_id
    )
    acts = [
        int(pk)
        for pk in ImportedRow.objects.filter(run=run, kind=io.KIND).values_list(
            "object_id", flat=True
        )
        if pk.isdigit()
    ]
    roles = PersonRole.objects.filter(violation_id__in=acts).values("person_id")
    return Person.objects.filter(organisation=organisation, pk__in=roles)


def _list_persons(user: Any, organisation: Organisation, query: str) -> QuerySet[Person]:
    """The persons linked to the incidents of the list's search and filters (``query``, the
    list's query string), through the list's one query path."""
    organisations = list(
        policy.visible(user, Organisation, "view_records").values_list("pk", "name")
    )
    form = IncidentFilterForm(
        QueryDict(query), units=policy.visible(user, Unit, "view"), organisations=organisations
    )
    form.is_valid()
    data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "") and k != "after"}
    incidents = queries.search_incidents(user, queries.Filters.from_mapping(data)).filter(
        organisation=organisation
    )
    roles = PersonRole.objects.filter(violation__incident__in=incidents.values("pk"))
    return Person.objects.filter(organisation=organisation, pk__in=roles.values("person_id"))


def _choices(user: Any, organisation: Organisation) -> dict[str, Any]:
    runs = (
        policy.visible(user, ImportRun, "view")
        .filter(organisation=organisation, kind=io.KIND, status=ImportRun.Status.COMMITTED)
        .order_by("-pk")[:50]
    )
    members = rules.members_who_may_reveal(
        policy.visible(user, Membership, "view").filter(organisation=organisation)
    ).select_related("user")
    return {
        "runs": [(run.pk, f"#{run.pk} {run.filename}") for run in runs],
        "members": [
            (m.user_id, f"{m.user} ({m.get_role_display()})")
            for m in members.order_by("user__email")
        ],
    }


def _selection(
    user: Any, organisation: Organisation, run_id: int | None, list_query: str
) -> tuple[QuerySet[Person] | None, dict[str, Any]]:
    if run_id:
        return _run_persons(user, organisation, run_id), {"import_run": run_id}
    if list_query:
        return _list_persons(user, organisation, list_query), {"incident_list": list_query}
    return None, {}


def _grant(
    request: HttpRequest, organisation: Organisation, form: GrantSetForm, persons: QuerySet[Person]
) -> int | None:
    """Grant when confirmed; ``None`` (with the form's error) otherwise."""
    data = form.cleaned_data
    grantee = policy.get_or_404(request.user, User, "view", pk=data["user"])
    selection = {"run": data.get("run"), "list": form.data.get("list", "")}
    try:
        return actions.grant_need_to_know_for_set(
            actor(request),
            organisation,
            grantee,
            persons,
            reason=data["reason"],
            expires_at=dt.datetime.combine(data["expires_on"], dt.time.min, tzinfo=dt.UTC),
            selection={k: v for k, v in selection.items() if v},
        )
    except ValidationError as exc:
        apply_errors(form, exc)
        return None


@require_http_methods(["GET", "POST"])
@login_required
def person_grant_set(request: HttpRequest) -> HttpResponse:
    """Preview the number of persons of a selection, then grant one member need-to-know on all
    of them after an explicit confirmation."""
    organisation = active_organisation(request)
    if organisation is None:
        raise PermissionDenied(_("You are not a member of any organisation."))
    policy.require(request.user, "grant_need_to_know_set", organisation)
    source = request.POST if request.method == "POST" else request.GET
    list_query = source.get("list", "")[:2000]
    run_param = source.get("run", "")
    form = GrantSetForm(
        request.POST if request.method == "POST" else None,
        initial={"run": run_param, "expires_on": default_expiry()},
        **_choices(request.user, organisation),
    )
    run_id = int(run_param) if run_param.isdigit() else None
    persons, _described = _selection(request.user, organisation, run_id, list_query)
    count = persons.count() if persons is not None else None
    if request.method == "POST" and form.is_valid():
        if persons is None:
            form.add_error("run", _("Choose an import, or come here from the incident list."))
        elif not form.cleaned_data["confirm"]:
            form.add_error("confirm", _("Tick the box to grant need-to-know on these persons."))
        else:
            granted = _grant(request, organisation, form, persons)
            if granted is not None:
                messages.success(
                    request,
                    _("Need-to-know granted on %(count)s persons (%(new)s new grants).")
                    % {"count": count, "new": granted},
                )
                return redirect("violations:person_list")
    return render(
        request,
        "violations/grant_set.html",
        {"form": form, "count": count, "list_query": list_query},
        status=422 if request.method == "POST" else 200,
    )
