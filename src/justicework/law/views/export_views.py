"""Exports of a case file beyond the spreadsheet: the case matrix as a PDF (``export`` on the
case, like the XLSX, audited the same way) and the evidence the case relies on as a signed
package of the evidence vault (``law.actions_packages``: the evidence app's checks and action)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from justicework.audit.chain import record
from justicework.core import policy
from justicework.core.uses import declares
from justicework.law import actions_packages, export_pdf
from justicework.law.models import CaseFile
from justicework.law.queries_cases import matrix_for
from justicework.law.views.cases import actor


def _case(request: HttpRequest, pk: int) -> CaseFile:
    return policy.get_or_404(actor(request), CaseFile.objects.select_related("organisation"), pk=pk)


@require_GET
@login_required
def matrix_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The matrix as a PDF in the reader's language (``export``: as the XLSX), audited."""
    user = actor(request)
    case = _case(request, pk)
    policy.require(user, "export", case)
    language = get_language() or "en"
    matrix = matrix_for(user, case, language)
    data = export_pdf.matrix_pdf(matrix, case)
    record(user, "law.matrix.exported", case, diff={"format": "pdf", "language": language})
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="case-{case.pk}-matrix.pdf"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
@declares("evidence.package")
def evidence_package(request: HttpRequest, pk: int) -> HttpResponse:
    """What a package of the case's evidence would hold and what is held back, with why; on
    POST the package is asked for and the reader sent to its page (progress, download)."""
    user = actor(request)
    case = _case(request, pk)
    if request.method == "POST":
        try:
            package, found = actions_packages.package_case_evidence(user, case)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("law:case_evidence_package", pk=case.pk)
        if found.held_back or found.unseen:
            messages.warning(
                request,
                _("%(count)s item(s) were held back; the case's evidence page lists why.")
                % {"count": len(found.held_back) + found.unseen},
            )
        return redirect("evidence:package_detail", pk=package.pk)
    found = actions_packages.case_evidence(user, case)
    return render(request, "law/cases/evidence_package.html", {"case": case, "found": found})
