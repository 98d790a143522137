"""The one read path for case files, their matrix and its gaps (pages and API alike).

Everything a case links to is shown through the policy of the linked record: an entry whose
violation, incident, evidence item or source the reader may not see (need-to-know, a
restricted incident, a survivor's consent under the use ``law.cases``) keeps its assessment,
but not its link. The number of queries does not depend on the number of entries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, IntegerField, Max, Model, QuerySet, Value, When

from justicework.core import policy
from justicework.core.actors import Requester
from justicework.law import case_matrix
from justicework.law.actions_cases import ENTRY_LINKS, link_models
from justicework.law.case_matrix import CellKey, Tally
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


def tallies_for(user: Requester, **filters: Any) -> dict[CellKey, Tally]:
    """Each cell's :class:`Tally`, counted in the database: one GROUP BY query over the
    entries ``user`` may see that match ``filters`` (the same entries ``matrix_for`` lists, so
    an entry whose record is hidden from the reader still counts, as it does there)."""
    rank = Case(
        *[When(strength=name, then=Value(n)) for n, name in enumerate(case_matrix.STRENGTHS)],
        output_field=IntegerField(),
    )
    rows = (
        policy.visible(user, MatrixEntry)
        .filter(**filters)
        .order_by()  # the model's ordering would join the GROUP BY
        .values("charge_id", "part", "element", "bearing")
        .annotate(count=Count("pk"), top=Max(rank))
    )
    tallies: dict[CellKey, Tally] = defaultdict(case_matrix.Tally)
    for row in rows:
        key = (row["charge_id"], row["part"], row["element"])
        tallies[key].add(row["bearing"], case_matrix.STRENGTHS[row["top"]], row["count"])
    return tallies


@dataclass
class Summary:
    """The matrix as its page shows it: every cell's tally, no entry loaded."""

    rows: list[case_matrix.ChargeRow]

    @property
    def missing(self) -> list[case_matrix.Missing]:
        return case_matrix.missing(self.rows)


def summary_for(user: Requester, case: CaseFile, language: str) -> Summary:
    """The case's matrix counted per cell (``case`` already checked by the caller): two
    queries whatever the number of entries."""
    charges = list(policy.visible(user, Charge).filter(case=case).order_by("pk"))
    tallies = tallies_for(user, charge__case=case)
    return Summary(case_matrix.build_tallied(charges, tallies, language))


@dataclass
class CellEntries:
    """One cell's entries with the linked records ``user`` may see (by link field and id)."""

    entries: list[MatrixEntry]
    tally: Tally
    records: dict[str, dict[int, Model]]

    def record_of(self, entry: MatrixEntry) -> tuple[str, Model | None]:
        """The entry's kind of link and its record, or None when the reader may not see it."""
        for field in ENTRY_LINKS:
            pk = getattr(entry, f"{field}_id")
            if pk is not None:
                return field, self.records[field].get(pk)
        return "", None


def cell_entries_for(user: Requester, charge: Charge, part: str, number: int) -> CellEntries:
    """The entries of one cell (``charge`` already checked by the caller), each record read
    through its own policy: one query per kind of record, whatever the number of entries."""
    cell = policy.visible(user, MatrixEntry).filter(charge=charge, part=part, element=number)
    entries = list(cell.order_by("pk"))
    tally = case_matrix.Tally()
    for entry in entries:
        tally.add(entry.bearing, entry.strength)
    models = link_models()
    records: dict[str, dict[int, Model]] = {}
    for field, many in ENTRY_LINKS.items():
        wanted = sorted({pk for e in entries if (pk := getattr(e, f"{field}_id")) is not None})
        found: Any = policy.visible(user, models[many]).filter(pk__in=wanted) if wanted else []
        if field == "violation" and wanted:
            found = found.select_related("incident")
        records[field] = {obj.pk: obj for obj in found}
    return CellEntries(entries, tally, records)
