"""Superior responsibility in a case file, element by element: the page listing, for each
suspect under each art. 28 mode the case charges, every element with what is recorded for it
(saying plainly which have nothing), the form adding a record (pickers, never typed ids) and
removing one. Reads through ``law.command.records``; writes through ``law.actions_command``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from justicework.core import policy
from justicework.core.models import User
from justicework.law import actions_command as actions
from justicework.law.actions_cases import link_models
from justicework.law.command import records
from justicework.law.models import CaseFile, CommandElementRecord
from justicework.law.models.command_records import MODES
from justicework.law.views.cases import actor, picker_choices
from justicework.violations.models import Person, Unit

#: the record picker's groups: value prefix -> (the case's link field, heading)
RECORD_PICKERS: dict[str, tuple[str, Any]] = {
    "violation": ("violations", gettext_lazy("Violations")),
    "incident": ("incidents", gettext_lazy("Incidents")),
    "item": ("items", gettext_lazy("Evidence items")),
    "source": ("sources", gettext_lazy("Sources")),
}
SUSPECTS: dict[str, type[Model]] = {"person": Person, "unit": Unit}
#: the form's fields as an error names them
FIELD_LABELS: dict[str, Any] = {
    "suspect": gettext_lazy("Suspect"),
    "mode_id": gettext_lazy("Mode of liability"),
    "element": gettext_lazy("Element"),
    "link": gettext_lazy("Fact or evidence"),
    "bearing": gettext_lazy("Bearing"),
    "strength": gettext_lazy("Strength"),
    "concerns_from": gettext_lazy("Concerns from"),
    "concerns_to": gettext_lazy("Concerns to"),
    "note": gettext_lazy("Note"),
}


def _case(request: HttpRequest, pk: int, action: str = "view") -> CaseFile:
    return policy.get_or_404(
        actor(request), CaseFile.objects.select_related("organisation"), action, pk=pk
    )


@require_GET
@login_required
def case_art28(request: HttpRequest, pk: int) -> HttpResponse:
    user = actor(request)
    case = _case(request, pk)
    context = {
        "case": case,
        "groups": records.for_case(user, case),
        "charged": bool(records.case_modes(user, case)),
        "can_change": bool(policy.can(user, "change", case)),
    }
    return render(request, "law/command/case_art28.html", context)


def _record_groups(user: User, case: CaseFile) -> list[tuple[Any, list[tuple[str, str]]]]:
    return [
        (heading, [(f"{p}-{v}", t) for v, t in picker_choices(user, case.organisation_id, f)])
        for p, (f, heading) in RECORD_PICKERS.items()
    ]


def _picked(user: User, value: str, kinds: dict[str, type[Model]]) -> Model | None:
    """A picked ``kind-pk`` value, as a record the user may see (404 otherwise)."""
    prefix, _sep, pk = value.partition("-")
    if prefix not in kinds or not pk.isdigit():
        return None
    found: Model = policy.get_or_404(user, kinds[prefix], "view", pk=int(pk))
    return found


def _date(value: str, name: str, errors: dict[str, str]) -> dt.date | None:
    if not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        errors[name] = _("Enter a date (YYYY-MM-DD).")
        return None


def _post_values(request: HttpRequest, errors: dict[str, str]) -> dict[str, Any]:
    post = request.POST
    return {
        "bearing": post.get("bearing", ""),
        "strength": post.get("strength", ""),
        "note": post.get("note", "")[: actions.NOTE_MAX_LENGTH + 1],
        "concerns_from": _date(post.get("concerns_from", ""), "concerns_from", errors),
        "concerns_to": _date(post.get("concerns_to", ""), "concerns_to", errors),
    }


def _add(request: HttpRequest, case: CaseFile, mode_id: str) -> dict[str, str]:
    """Validate the posted form and add the record; the errors by field (none: added)."""
    user = actor(request)
    errors: dict[str, str] = {}
    suspect = _picked(user, request.POST.get("suspect", ""), SUSPECTS)
    models = link_models()
    link = _picked(user, request.POST.get("record", ""), {
        p: models[f] for p, (f, _h) in RECORD_PICKERS.items()
    })  # fmt: skip
    element = request.POST.get("element", "")
    if suspect is None:
        errors["suspect"] = _("Choose a suspect.")
    if link is None:
        errors["link"] = _("Choose a fact or piece of evidence.")
    if not element.isdigit():
        errors["element"] = _("Choose an element.")
    values = _post_values(request, errors)
    if errors:
        return errors
    assert suspect is not None and link is not None  # for mypy: errors were returned above
    try:
        actions.add_command_record(
            user, case, suspect=suspect, mode_id=mode_id, element=int(element), link=link, **values
        )
    except ValidationError as exc:
        return {name: " ".join(msgs) for name, msgs in exc.message_dict.items()}
    return {}


@require_http_methods(["GET", "POST"])
@login_required
def record_add(request: HttpRequest, pk: int) -> HttpResponse:
    """The form adding a record under ``?mode=28(a)`` or ``28(b)``."""
    user = actor(request)
    case = _case(request, pk, "change")
    mode_id = request.POST.get("mode") or request.GET.get("mode", "")
    if mode_id not in MODES:
        raise Http404
    errors: dict[str, str] = {}
    if request.method == "POST":
        errors = _add(request, case, mode_id)
        if not errors:
            messages.success(request, _("Recorded for the element."))
            return redirect(reverse("law:case_art28", args=[case.pk]))
    groups = records.for_case(user, case)
    context = {
        "case": case,
        "mode_id": mode_id,
        "suspects": sorted(
            {(f"{g.suspect[0]}-{g.suspect[1]}", g.suspect[0], g.suspect_label) for g in groups}
        ),
        "elements": actions.mode_elements(mode_id),
        "record_groups": _record_groups(user, case),
        "bearings": CommandElementRecord.Bearing.choices,
        "strengths": CommandElementRecord.Strength.choices,
        "errors": [(FIELD_LABELS.get(name, name), message) for name, message in errors.items()],
        "posted": request.POST,
        "chosen_suspect": request.POST.get("suspect") or request.GET.get("suspect", ""),
        "chosen_element": request.POST.get("element") or request.GET.get("element", ""),
    }
    return render(request, "law/command/record_form.html", context, status=422 if errors else 200)


@require_POST
@login_required
def record_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = actor(request)
    rec = policy.get_or_404(user, CommandElementRecord.objects.select_related("case"), pk=pk)
    policy.require(user, "change", rec)
    case_id = rec.case_id
    actions.remove_command_record(user, rec)
    messages.success(request, _("Record removed."))
    return redirect(reverse("law:case_art28", args=[case_id]))
