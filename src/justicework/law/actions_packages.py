"""The evidence a case relies on, as a signed package of the evidence vault.

The items are those the case's matrix entries cite and those linked to the case file. Which of
them may go into a package is the evidence app's answer, not ours: ``sort_items`` runs the very
checks of a package request (need-to-know, a survivor's consent on the item and on the persons
it is linked to, a removed file), and the package is asked for with the evidence app's own
action, ``request_package`` (a task builds it, checking again; the verifier is the vault's).
Items held back are listed by number with the reason; items the reader may not see at all are
only counted, so the list does not reveal them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from justicework.audit.chain import record
from justicework.core import policy
from justicework.core.models import User
from justicework.evidence.actions import package_requests
from justicework.evidence.actions import packages as evidence_packages
from justicework.evidence.models import Package
from justicework.law.models import CaseFile, MatrixEntry


@dataclass(frozen=True)
class CaseEvidence:
    """What a package of the case's evidence would hold, as ``actor`` may know it."""

    case: CaseFile
    #: ids of the items that go into the package
    item_ids: list[int]
    #: (item id, reason) of the items held back that the actor may know of
    held_back: list[tuple[int, str]]
    #: how many cited or linked items the actor may not see at all
    unseen: int


def cited_item_ids(actor: User, case: CaseFile) -> list[int]:
    """Ids of the items the case's matrix entries cite (those ``actor`` may read) and of the
    items linked to the case file, whether or not ``actor`` may see them (the evidence app
    sorts them)."""
    entries = policy.visible(actor, MatrixEntry).filter(charge__case=case, item__isnull=False)
    cited = set(entries.values_list("item_id", flat=True))
    linked = set(case.items.values_list("pk", flat=True))
    return sorted(cited | linked)


def case_evidence(actor: User, case: CaseFile) -> CaseEvidence:
    """The case's evidence sorted by the evidence app's checks (``case`` already checked for
    ``view``; the organisation's ``evidence.package`` is required here)."""
    found = evidence_packages.sort_items(actor, case.organisation, cited_item_ids(actor, case))
    return CaseEvidence(case, [i.pk for i in found.items], found.held_back, found.unseen)


@transaction.atomic
def package_case_evidence(actor: User, case: CaseFile) -> tuple[Package, CaseEvidence]:
    """Ask the task worker for a signed package of the case's evidence that ``actor`` may
    package; audited on the case with what was held back and why."""
    policy.require(actor, "view", case)
    sorted_out = case_evidence(actor, case)
    if not sorted_out.item_ids:
        raise ValidationError(
            _("This case file cites no evidence item that you may package."), code="empty"
        )
    package = package_requests.request_package(actor, case.organisation, sorted_out.item_ids)
    record(
        actor,
        "law.case.evidence_packaged",
        case,
        organisation_id=case.organisation_id,
        diff={
            "package": str(package.pk),
            "item_ids": sorted_out.item_ids,
            "held_back": [{"item": pk, "reason": reason} for pk, reason in sorted_out.held_back],
            "unseen": sorted_out.unseen,
        },
    )
    return package, sorted_out
