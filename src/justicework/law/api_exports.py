"""``/api/v1/law/cases/{id}/``: the exports of a case file beside its other endpoints — the
matrix as a PDF (``matrix.pdf``, ``export`` on the case, audited as the web's) and the evidence
it relies on as a signed package (``evidence-package``: GET what it would hold and what is held
back, POST to ask for it; ``law.actions_packages``, under the use ``evidence.package``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from ninja import Router, Schema, Status

from justicework.api.core import acting_user
from justicework.api.types import Id
from justicework.audit.chain import record
from justicework.core import policy
from justicework.core.uses import declares
from justicework.law import actions_packages, export_pdf
from justicework.law.actions_packages import CaseEvidence
from justicework.law.models import CaseFile
from justicework.law.queries_cases import matrix_for

router = Router(tags=["law"])


class LawHeldBackOut(Schema):
    item_id: int
    reason: str


class LawCaseEvidenceOut(Schema):
    case_id: int
    item_ids: list[int]
    held_back: list[LawHeldBackOut]
    #: items cited or linked that the reader may not see (counted, not named)
    unseen: int


class LawCasePackageOut(LawCaseEvidenceOut):
    package_id: str
    status: str


def _case(request: HttpRequest, case_id: int) -> CaseFile:
    return policy.get_or_404(
        acting_user(request), CaseFile.objects.select_related("organisation"), "view", pk=case_id
    )


def _evidence_out(found: CaseEvidence) -> dict[str, Any]:
    held = [{"item_id": pk, "reason": reason} for pk, reason in found.held_back]
    return {"case_id": found.case.pk, "item_ids": found.item_ids, "held_back": held} | {
        "unseen": found.unseen
    }


@router.get("/{int:case_id}/matrix.pdf", operation_id="law_matrix_pdf")
def matrix_pdf(request: HttpRequest, case_id: Id) -> HttpResponse:
    user = acting_user(request)
    case = _case(request, case_id)
    policy.require(user, "export", case)
    language = get_language() or "en"
    data = export_pdf.matrix_pdf(matrix_for(user, case, language), case)
    record(user, "law.matrix.exported", case, diff={"format": "pdf", "language": language})
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="case-{case.pk}-matrix.pdf"'
    return response


@router.get(
    "/{int:case_id}/evidence-package",
    response=LawCaseEvidenceOut,
    operation_id="law_case_evidence",
)
@declares("evidence.package")
def case_evidence(request: HttpRequest, case_id: Id) -> Any:
    case = _case(request, case_id)
    return _evidence_out(actions_packages.case_evidence(acting_user(request), case))


@router.post(
    "/{int:case_id}/evidence-package",
    response={202: LawCasePackageOut},
    operation_id="law_case_evidence_package",
)
@declares("evidence.package")
def package_evidence(request: HttpRequest, case_id: Id) -> Any:
    case = _case(request, case_id)
    package, found = actions_packages.package_case_evidence(acting_user(request), case)
    package.refresh_from_db(fields=["status"])
    out = _evidence_out(found) | {"package_id": str(package.pk), "status": package.status}
    return Status(202, out)


def register() -> None:
    from justicework.api import router_registry

    # Beside the case endpoints of ``api_cases`` ("/law/cases"): the registry keys routers by
    # prefix and the paths are normalised, so the trailing slash mounts this one at the same
    # place without touching that module.
    router_registry.register("/law/cases/", router, use="law.cases")
