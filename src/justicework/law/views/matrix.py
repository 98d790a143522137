"""The case matrix page (charges by elements; each cell its strength and counts, counted in the
database, its entries loaded on demand from ``views.matrix_cells``), adding and removing
entries, and the "what is missing" list for documenters."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from justicework.audit.chain import record
from justicework.core import policy
from justicework.dataio.export import CONTENT_TYPES
from justicework.law import actions_cases as actions
from justicework.law import export_cases
from justicework.law.models import CaseFile, Charge, MatrixEntry
from justicework.law.queries_cases import matrix_for, summary_for
from justicework.law.views.cases import actor, picker_choices
from justicework.law.views.matrix_cells import cell_url

#: the picker of an entry: its value prefix -> (the case's link field, the entry's field)
ENTRY_PICKERS = {
    "violation": "violations",
    "incident": "incidents",
    "item": "items",
    "source": "sources",
}


def _case(request: HttpRequest, pk: int) -> CaseFile:
    return policy.get_or_404(actor(request), CaseFile.objects.select_related("organisation"), pk=pk)


@require_GET
@login_required
def case_matrix(request: HttpRequest, pk: int) -> HttpResponse:
    user = actor(request)
    case = _case(request, pk)
    summary = summary_for(user, case, get_language() or "en")
    rows = []
    for row in summary.rows:
        pk = row.charge.pk
        # the element's number ends the cell's URL: one reverse per part, not per cell
        bases = {part: cell_url(pk, part, 1).removesuffix("1/") for part in ("crime", "mode")}
        cells = [
            {
                "cell": cell,
                "key": f"{pk}-{cell.part}-{cell.element.number}",
                "url": f"{bases[cell.part]}{cell.element.number}/",
            }
            for cell in row.cells
        ]
        rows.append({"row": row, "cells": cells})
    context = {
        "case": case,
        "rows": rows,
        "can_change": bool(policy.can(user, "change", case)),
        "can_export": bool(policy.can(user, "export", case)),
        "strengths": MatrixEntry.Strength.choices,
    }
    return render(request, "law/cases/matrix.html", context)


@require_GET
@login_required
def matrix_xlsx(request: HttpRequest, pk: int) -> FileResponse:
    """The matrix as a spreadsheet (``export``: ``data.export`` on top of reading), audited."""
    user = actor(request)
    case = _case(request, pk)
    policy.require(user, "export", case)
    matrix = matrix_for(user, case, get_language() or "en")
    record(user, "law.matrix.exported", case, diff={"format": "xlsx"})
    return FileResponse(
        export_cases.matrix_xlsx(matrix),
        as_attachment=True,
        filename=f"case-{case.pk}-matrix.xlsx",
        content_type=CONTENT_TYPES["xlsx"],
    )


@require_GET
@login_required
def case_missing(request: HttpRequest, pk: int) -> HttpResponse:
    user = actor(request)
    case = _case(request, pk)
    summary = summary_for(user, case, get_language() or "en")
    return render(request, "law/cases/missing.html", {"case": case, "missing": summary.missing})


def _entry_choices(user: Any, case: CaseFile) -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped picker choices: ``violation-12`` etc., the records the user may see."""
    groups = []
    labels = {
        "violation": _("Violations"),
        "incident": _("Incidents"),
        "item": _("Evidence items"),
        "source": _("Sources"),
    }
    for prefix, field in ENTRY_PICKERS.items():
        choices = picker_choices(user, case.organisation_id, field)
        groups.append((labels[prefix], [(f"{prefix}-{pk}", label) for pk, label in choices]))
    return groups


@require_http_methods(["GET", "POST"])
@login_required
def entry_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Link a fact or an evidence item to an element of a charge (``pk``: the charge)."""
    user = actor(request)
    charge = policy.get_or_404(user, Charge.objects.select_related("case"), pk=pk)
    policy.require(user, "change", charge)
    case = charge.case
    rows = summary_for(user, case, get_language() or "en").rows
    row = next(r for r in rows if r.charge.pk == charge.pk)
    errors: list[str] = []
    if request.method == "POST":
        part, _sep, number = request.POST.get("element", "").partition("-")
        prefix, _sep, record_pk = request.POST.get("record", "").partition("-")
        if prefix not in ENTRY_PICKERS or not number.isdigit():
            errors.append(_("Choose an element and a record."))
        else:
            model = actions.link_models()[ENTRY_PICKERS[prefix]]
            link = policy.get_or_404(user, model, pk=record_pk)
            try:
                actions.add_matrix_entry(
                    user,
                    charge,
                    part=part,
                    element=int(number),
                    link=link,
                    bearing=request.POST.get("bearing", ""),
                    strength=request.POST.get("strength", ""),
                    note=request.POST.get("note", "")[:5000],
                )
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                messages.success(request, _("Entry added to the matrix."))
                return redirect(reverse("law:case_matrix", args=[case.pk]) + f"#charge-{pk}")
    context = {
        "case": case,
        "charge": charge,
        "row": row,
        "record_groups": _entry_choices(user, case),
        "bearings": MatrixEntry.Bearing.choices,
        "strengths": MatrixEntry.Strength.choices,
        "errors": errors,
        "posted": request.POST,
    }
    return render(request, "law/cases/entry_form.html", context, status=422 if errors else 200)


@require_POST
@login_required
def entry_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = actor(request)
    entry = policy.get_or_404(user, MatrixEntry.objects.select_related("charge__case"), pk=pk)
    case_pk = entry.charge.case_id
    actions.remove_matrix_entry(user, entry)
    messages.success(request, _("Entry removed."))
    return redirect("law:case_matrix", pk=case_pk)
