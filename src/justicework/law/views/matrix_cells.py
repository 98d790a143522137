"""One cell of the case matrix: its entries, each linking to its record, loaded on demand into
the matrix page (htmx) or shown as a page of their own (without JavaScript), and the in-place
edit of an entry's assessment (bearing, strength, note)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from justicework.core import policy
from justicework.law import actions_cases as actions
from justicework.law import case_matrix
from justicework.law.catalogue import catalogue
from justicework.law.models import Charge, MatrixEntry
from justicework.law.queries_cases import cell_entries_for
from justicework.law.views.cases import actor, label_of

#: a refused edit: the entry's id, its errors by field, the values posted
Refused = tuple[int, dict[str, list[str]], dict[str, str]]


def record_url(field: str, obj: Any) -> str:
    """The page of an entry's record (a violation is shown on its incident's page)."""
    if field == "violation":
        incident = reverse("violations:incident_detail", args=[obj.incident_id])
        return f"{incident}#violation-{obj.pk}"
    if field == "incident":
        return reverse("violations:incident_detail", args=[obj.pk])
    if field == "item":
        return reverse("evidence:item_detail", args=[obj.pk])
    # sources have no page of their own: the source list, starting at this source
    return f"{reverse('violations:source_list')}?after={obj.pk + 1}"


def cell_url(charge_pk: int, part: str, number: int) -> str:
    return reverse("law:matrix_cell", args=[charge_pk, part, number])


def _kind_labels() -> dict[str, str]:
    return {
        "violation": _("Violation"),
        "incident": _("Incident"),
        "item": _("Evidence item"),
        "source": _("Source"),
    }


def _field_labels() -> dict[str, str]:
    """The edit form's labels, to name a refused field as the form names it."""
    return {"bearing": _("Bearing"), "strength": _("Strength"), "note": _("Note")}


def _entry_row(
    entry: MatrixEntry, field: str, obj: Model | None, refused: Refused | None
) -> dict[str, Any]:
    values = {name: getattr(entry, name) for name in actions.ENTRY_EDITABLE}
    errors: list[tuple[str, str]] = []
    if refused is not None and refused[0] == entry.pk:
        values |= refused[2]
        labels = _field_labels()
        for name, found in refused[1].items():
            errors += [(labels.get(name, name), message) for message in found]
    return {
        "entry": entry,
        "kind": _kind_labels().get(field, ""),
        "label": label_of(actions.ENTRY_LINKS[field], obj) if obj is not None else "",
        "url": record_url(field, obj) if obj is not None else "",
        "values": values,
        "errors": errors,
        "invalid": set(refused[1]) if errors and refused else set(),
    }


def _cell_context(
    request: HttpRequest, charge: Charge, part: str, number: int, refused: Refused | None = None
) -> dict[str, Any]:
    element = case_matrix.element_of(charge, part, number)
    if element is None:
        raise Http404
    user = actor(request)
    found = cell_entries_for(user, charge, part, number)
    entries = []
    for entry in found.entries:
        field, obj = found.record_of(entry)
        entries.append(_entry_row(entry, field, obj, refused))
    crime = catalogue().crime(charge.crime_id)
    return {
        "case": charge.case,
        "charge": charge,
        "crime_title": crime.titles.get(get_language() or "en") or crime.title,
        "cell": case_matrix.Cell(part, element, found.entries, found.tally),
        "key": f"{charge.pk}-{part}-{number}",
        "entries": entries,
        "can_change": bool(policy.can(user, "change", charge)),
        "bearings": MatrixEntry.Bearing.choices,
        "strengths": MatrixEntry.Strength.choices,
    }


def _partial(request: HttpRequest) -> bool:
    htmx: Any = getattr(request, "htmx", None)  # django-htmx's middleware sets it
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def _render_cell(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    partial = _partial(request)
    template = "law/cases/partials/cell_entries.html" if partial else "law/cases/cell.html"
    # after an edit, the fragment also refreshes the cell's strength and counts (out of band)
    context["oob"] = partial and request.method == "POST"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])  # caches must not mix the page and the fragment
    return response


@require_GET
@login_required
def matrix_cell(request: HttpRequest, pk: int, part: str, number: int) -> HttpResponse:
    """The entries of one cell (``pk``: the charge): the fragment for htmx, else a page."""
    charge = policy.get_or_404(
        actor(request), Charge.objects.select_related("case__organisation"), pk=pk
    )
    return _render_cell(request, _cell_context(request, charge, part, number))


@require_POST
@login_required
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an entry's bearing, strength or note (``change`` on its case), audited."""
    user = actor(request)
    entry = policy.get_or_404(
        user, MatrixEntry.objects.select_related("charge__case__organisation"), pk=pk
    )
    policy.require(user, "change", entry)
    changes = {name: request.POST[name] for name in actions.ENTRY_EDITABLE if name in request.POST}
    charge, part, number = entry.charge, entry.part, entry.element
    try:
        actions.update_matrix_entry(user, entry, **changes)
    except ValidationError as exc:
        refused = (entry.pk, exc.message_dict, changes)
        context = _cell_context(request, charge, part, number, refused)
        return _render_cell(request, context, status=422)
    if not _partial(request):
        messages.success(request, _("Entry saved."))
        return redirect(f"{cell_url(charge.pk, part, number)}#entry-{entry.pk}")
    context = _cell_context(request, charge, part, number)
    context["saved"] = entry.pk
    return _render_cell(request, context)
