"""A grantee's report: writing it (the narrative, what was spent against each budget line of
the application, the results as indicator values), submitting it, and its review by programme
staff (approve, which makes the tranches tied to it due, or return with comments)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from justicework.core import policy
from justicework.core.actors import signed_in
from justicework.grants import actions_money_reports as actions
from justicework.grants.fields import text_in
from justicework.grants.models import BudgetLine, GranteeReport
from justicework.grants.queries_money import LIST_LIMIT, reports_to_review
from justicework.grants.results import SEXES
from justicework.grants.views.money_forms import ReviewForm, error_text

#: empty result rows offered below those already given
EXTRA_RESULT_ROWS = 3
MAX_RESULT_ROWS = 200


def _report(request: HttpRequest, pk: int, action: str) -> GranteeReport:
    queryset = GranteeReport.objects.select_related(
        "award__call", "award__legal_entity", "award__application"
    )
    return policy.get_or_404(signed_in(request), queryset, action, pk=pk)


def _lines(report: GranteeReport) -> list[dict[str, Any]]:
    """Every budget line of the application with what the report says was spent on it."""
    given = {line.budget_line_id: line for line in report.lines.all()}
    activities = {a.get("code"): a.get("title") for a in report.award.call.activity_types}
    rows = []
    for budget in BudgetLine.objects.filter(application_id=report.award.application_id):
        line = given.get(budget.pk)
        spent = line.spent if line is not None else None
        rows.append(
            {
                "budget": budget,
                "activity": text_in(activities.get(budget.activity_type)) or budget.activity_type,
                "spent": spent,
                "note": line.note if line is not None else "",
                "variance": budget.amount - spent if spent is not None else None,
            }
        )
    return rows


def _posted_lines(request: HttpRequest, report: GranteeReport) -> dict[int, tuple[Any, str]]:
    ids = BudgetLine.objects.filter(application_id=report.award.application_id).values_list(
        "pk", flat=True
    )
    return {
        pk: (request.POST.get(f"spent-{pk}", "").strip(), request.POST.get(f"note-{pk}", ""))
        for pk in ids
    }


def _posted_results(request: HttpRequest) -> list[dict[str, Any]]:
    """The result rows filled in (a row without an indicator is left out)."""
    results = []
    for number in range(MAX_RESULT_ROWS):
        indicator = request.POST.get(f"r-{number}-indicator", "").strip()
        if not indicator:
            continue
        item: dict[str, Any] = {
            "indicator": indicator,
            "value": request.POST.get(f"r-{number}-value", "").strip(),
            "unit": request.POST.get(f"r-{number}-unit", "").strip(),
        }
        groups = {key: request.POST.get(f"r-{number}-{key}", "").strip() for key in ("sex", "age")}
        if any(groups.values()):
            item["disaggregation"] = {key: value for key, value in groups.items() if value}
        results.append(item)
    return results


def _result_rows(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = [{**item, **(item.get("disaggregation") or {})} for item in results[:MAX_RESULT_ROWS]]
    return rows + [{} for _ in range(EXTRA_RESULT_ROWS)]


def _page(request: HttpRequest, report: GranteeReport, template: str, **extra: Any) -> HttpResponse:
    lines = _lines(report)
    context = {
        "report": report,
        "award": report.award,
        "lines": lines,
        "budget_total": sum((row["budget"].amount for row in lines), Decimal(0)),
        "spent_total": sum((row["spent"] or Decimal(0) for row in lines), Decimal(0)),
        "sexes": SEXES,
        **extra,
    }
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def report_write(request: HttpRequest, pk: int) -> HttpResponse:
    """The grantee writes the report; "save" keeps it, "submit" saves and sends it."""
    if request.method == "GET":
        report = _report(request, pk, "view")
        writable = bool(policy.can(signed_in(request), "write", report))
        return _page(
            request, report, "grants/money/report_write.html",
            writable=writable, result_rows=_result_rows(report.results),
        )  # fmt: skip
    report = _report(request, pk, "write")
    user = signed_in(request)
    results = _posted_results(request)
    try:
        actions.save_report(
            user, report, narrative=request.POST.get("narrative", ""),
            lines=_posted_lines(request, report), results=results,
        )  # fmt: skip
        if request.POST.get("step") == "submit":
            actions.submit_report(user, report)
            messages.success(request, _("The report was submitted."))
            return redirect("grants:award_detail", report.award_id)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return _page(
            request, report, "grants/money/report_write.html", writable=True,
            result_rows=_result_rows(results), posted=request.POST,
        )  # fmt: skip
    messages.success(request, _("The report was saved."))
    return redirect("grants:report_write", report.pk)


@login_required
@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    reports = list(reports_to_review(signed_in(request))[:LIST_LIMIT])
    return render(request, "grants/money/review_list.html", {"reports": reports})


@login_required
@require_GET
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk, "view")
    reviewable = bool(policy.can(signed_in(request), "review", report))
    if not policy.can(signed_in(request), "manage", report):
        return redirect("grants:report_write", report.pk)  # the grantee reads it there
    return _page(
        request, report, "grants/money/report_review.html",
        reviewable=reviewable, form=ReviewForm(),
    )  # fmt: skip


@login_required
@require_POST
def report_decide(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk, "review")
    form = ReviewForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        if request.POST.get("decision") == "approve":
            released = actions.approve_report(signed_in(request), report, comment)
            text = _("The report was approved.")
            if released:
                text += " " + _("Tranche(s) now due: %(n)s.") % {
                    "n": ", ".join(str(n) for n in released)
                }
        else:
            actions.return_report(signed_in(request), report, comment)
            text = _("The report was returned to the grantee.")
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("grants:report_review", report.pk)
    messages.success(request, text)
    return redirect("grants:award_detail", report.award_id)
