"""The one read path for case files, their matrix and its gaps (pages and API alike).

Everything a case links to is shown through the policy of the linked record: an entry whose
violation, incident, evidence item or source the reader may not see (need-to-know, a
restricted incident, a survivor's consent under the use ``law.cases``) keeps its assessment,
but not its link. The number of queries does not depend on the number of entries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Model, QuerySet

from justicework.core import policy
from justicework.core.actors import Requester
from justicework.law import case_matrix
from justicework.law.actions_cases import ENTRY_LINKS, link_models
from justicework.law.models import CaseFile, Charge, MatrixEntry


def cases_for(user: Requester) -> QuerySet[CaseFile]:
    return policy.visible(user, CaseFile).select_related("organisation")


def visible_ids(user: Requester, model: type[Model], ids: Iterable[int | None]) -> set[int]:
    wanted = sorted({pk for pk in ids if pk is not None})
    if not wanted:
        return set()
    found = policy.visible(user, model).filter(pk__in=wanted).values_list("pk", flat=True)
    return set(found)


def linked(user: Requester, case: CaseFile, field: str) -> QuerySet[Model]:
    """The records of the case's ``field`` that ``user`` may see."""
    model = link_models()[field]
    ids = getattr(case, field).values("pk")
    return policy.visible(user, model).filter(pk__in=ids)


@dataclass
class Matrix:
    rows: list[case_matrix.ChargeRow]
    #: link field ("violation", "item"...) -> ids of the linked records the reader may see
    shown: dict[str, set[int]]

    def link_of(self, entry: MatrixEntry) -> tuple[str, int | None]:
        """The entry's kind of link and its id, or None when the reader may not see it."""
        for field in ENTRY_LINKS:
            pk = getattr(entry, f"{field}_id")
            if pk is not None:
                return field, pk if pk in self.shown[field] else None
        return "", None

    @property
    def missing(self) -> list[case_matrix.Missing]:
        return case_matrix.missing(self.rows)


def matrix_for(user: Requester, case: CaseFile, language: str) -> Matrix:
    """The case's matrix as ``user`` may read it (``case`` already checked by the caller)."""
    charges = list(policy.visible(user, Charge).filter(case=case).order_by("pk"))
    entries = list(policy.visible(user, MatrixEntry).filter(charge__case=case).order_by("pk"))
    models = link_models()
    shown = {
        field: visible_ids(user, models[many], (getattr(e, f"{field}_id") for e in entries))
        for field, many in ENTRY_LINKS.items()
    }
    return Matrix(case_matrix.build(charges, entries, language), shown)
