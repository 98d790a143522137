"""Case files: the list, opening one, its page (situation, suspects, records, charges, team),
linking records and adding charges. Pickers list only what the reader may see (the policy,
under the declared use ``law.cases``); nothing is typed as an id."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from justicework.core import policy
from justicework.core.countries import country_choices
from justicework.core.models import Membership, Organisation, User
from justicework.core.roles import Capability, roles_with
from justicework.law import actions_cases as actions
from justicework.law.catalogue import catalogue
from justicework.law.models import CaseFile, Charge
from justicework.law.queries_cases import cases_for, linked

#: at most this many records offered in one picker (the newest first)
PICKER_LIMIT = 300
#: a case's link fields with their headings
LINK_FIELDS: dict[str, Any] = {
    "suspect_persons": gettext_lazy("Suspects: persons"),
    "suspect_units": gettext_lazy("Suspects: units"),
    "incidents": gettext_lazy("Incidents"),
    "violations": gettext_lazy("Violations"),
    "items": gettext_lazy("Evidence items"),
    "sources": gettext_lazy("Sources"),
}


def actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def label_of(field: str, obj: Any) -> str:
    """How a linked record is named on the case's pages (persons by their pseudonym only)."""
    if field == "suspect_persons":
        return str(obj.code)
    if field == "suspect_units":
        return str(obj.name)
    if field == "incidents":
        return f"#{obj.pk} {obj.title}"
    if field == "violations":
        return f"#{obj.pk} {obj.type} ({obj.start_date or _('date unknown')})"
    if field == "items":
        return f"#{obj.pk} {obj.display_name}"
    return f"#{obj.pk} {obj.title}"


def picker_choices(user: User, organisation_id: int, field: str) -> list[tuple[str, str]]:
    """The records of ``field``'s kind, of the case's organisation, the user may see."""
    model = actions.link_models()[field]
    rows: Any = policy.visible(user, model)
    org_path = "incident__organisation_id" if field == "violations" else "organisation_id"
    rows = rows.filter(**{org_path: organisation_id}).order_by("-pk")
    if field == "violations":
        rows = rows.select_related("incident")
    return [(str(obj.pk), label_of(field, obj)) for obj in rows[:PICKER_LIMIT]]


class CaseForm(forms.Form):
    organisation = forms.TypedChoiceField(label=gettext_lazy("Organisation"), coerce=int)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    country = forms.ChoiceField(label=gettext_lazy("Country of the situation"))
    period_from = forms.DateField(label=gettext_lazy("Period from"), required=False)
    period_to = forms.DateField(label=gettext_lazy("Period to"), required=False)
    summary = forms.CharField(label=gettext_lazy("Summary"), widget=forms.Textarea, required=False)
    restricted = forms.BooleanField(
        label=gettext_lazy("Restricted to its team (and the organisation's admins)"),
        required=False,
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org_field = cast(forms.TypedChoiceField, self.fields["organisation"])
        org_field.choices = [(o.pk, o.name) for o in organisations]
        country_field = cast(forms.ChoiceField, self.fields["country"])
        country_field.choices = country_choices(blank="—")
        for name in ("period_from", "period_to"):
            self.fields[name].widget = forms.DateInput(attrs={"type": "date"})


@require_GET
@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    cases = list(cases_for(user).order_by("-created_at", "-pk")[:200])
    can_create = bool(policy.allowed_organisation_ids(user, "create_case_file"))
    return render(request, "law/cases/case_list.html", {"cases": cases, "can_create": can_create})


@require_http_methods(["GET", "POST"])
@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    orgs = list(policy.visible(user, Organisation, "create_case_file").order_by("name"))
    if not orgs:
        raise PermissionDenied(_("Only legal analysts and admins open case files."))
    form = CaseForm(request.POST or None, organisations=orgs)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        org = next(o for o in orgs if o.pk == data.pop("organisation"))
        try:
            case = actions.create_case_file(user, org, team=[user], **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Case file opened."))
            return redirect("law:case_detail", pk=case.pk)
    return render(request, "law/cases/case_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct the case's situation, summary or restriction."""
    user = actor(request)
    case = _change(request, pk)
    initial = {name: getattr(case, name) for name in actions.CASE_FIELDS}
    form = CaseForm(request.POST or None, initial=initial, organisations=[case.organisation])
    del form.fields["organisation"]
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_case_file(user, case, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Case file saved."))
            return _back(case)
    return render(request, "law/cases/case_form.html", {"form": form, "case": case})


def _team_choices(case: CaseFile) -> list[tuple[str, str]]:
    members = Membership.objects.filter(
        organisation_id=case.organisation_id,
        role__in=roles_with(Capability.RECORD_VIEW),
        user__is_active=True,
    ).select_related("user")
    return [(str(m.user_id), str(m.user)) for m in members.order_by("user__email")]


@require_GET
@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = actor(request)
    case = policy.get_or_404(user, CaseFile.objects.select_related("organisation"), pk=pk)
    can_change = bool(policy.can(user, "change", case))
    links = []
    for field, heading in LINK_FIELDS.items():
        shown = [(obj.pk, label_of(field, obj)) for obj in linked(user, case, field)[:500]]
        choices = picker_choices(user, case.organisation_id, field) if can_change else []
        links.append({"field": field, "heading": heading, "shown": shown, "choices": choices})
    book = catalogue()
    context = {
        "case": case,
        "can_change": can_change,
        "links": links,
        "team": list(case.team.order_by("email")),
        "team_choices": _team_choices(case) if can_change else [],
        "charges": list(policy.visible(user, Charge).filter(case=case)),
        "crimes": [(c.id, c.title) for c in book.crimes if c.elements],
        "modes": [(m.id, f"{m.provision}: {m.title}") for m in book.modes_of_liability],
    }
    return render(request, "law/cases/case_detail.html", context)


def _change(request: HttpRequest, pk: int) -> CaseFile:
    case = policy.get_or_404(actor(request), CaseFile, pk=pk)
    policy.require(actor(request), "change", case)
    return case


def _back(case: CaseFile, anchor: str = "") -> HttpResponse:
    return redirect(reverse("law:case_detail", args=[case.pk]) + anchor)


@require_POST
@login_required
def case_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a record of the picker to the case (``field`` names which list)."""
    user = actor(request)
    case = _change(request, pk)
    field = request.POST.get("field", "")
    if field not in LINK_FIELDS:
        messages.error(request, _("Choose what to add."))
        return _back(case)
    model = actions.link_models()[field]
    obj: Model = policy.get_or_404(user, model, pk=request.POST.get("record", ""))
    try:
        actions.link_records(user, case, field, [obj])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Added to the case."))
    return _back(case, f"#{field}")


@require_POST
@login_required
def case_unlink(request: HttpRequest, pk: int) -> HttpResponse:
    user = actor(request)
    case = _change(request, pk)
    field = request.POST.get("field", "")
    if field in LINK_FIELDS:
        model = actions.link_models()[field]
        obj: Model = policy.get_or_404(user, model, pk=request.POST.get("record", ""))
        actions.unlink_record(user, case, field, obj)
        messages.success(request, _("Removed from the case."))
    return _back(case, f"#{field}")


@require_POST
@login_required
def case_team(request: HttpRequest, pk: int) -> HttpResponse:
    user = actor(request)
    case = _change(request, pk)
    wanted = [v for v in request.POST.getlist("team") if v.isdigit()]
    users = list(User.objects.filter(pk__in=wanted))
    try:
        actions.set_team(user, case, users)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Team saved."))
    return _back(case, "#team")


@require_POST
@login_required
def charge_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = actor(request)
    case = _change(request, pk)
    try:
        actions.add_charge(
            user,
            case,
            crime_id=request.POST.get("crime_id", ""),
            mode_id=request.POST.get("mode_id", ""),
            note=request.POST.get("note", "")[:5000],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Charge added."))
    return _back(case, "#charges")
