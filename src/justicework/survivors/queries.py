"""Reading a survivor file's consent: the current state of every use and the history (one
query path for the page, the panel and the API)."""

from __future__ import annotations

from dataclasses import dataclass

from justicework.core.uses import Scope
from justicework.survivors.models import Consent, ConsentDecision, SurvivorFile


@dataclass(frozen=True)
class UseRow:
    scope: str
    label: str
    qualifier: str
    answer: str
    decision: ConsentDecision


def current_uses(file: SurvivorFile) -> list[UseRow]:
    """The latest decision per (use, qualifier), in the order of the uses. One query."""
    latest: dict[tuple[str, str], ConsentDecision] = {}
    decisions = (
        ConsentDecision.objects.filter(file=file)
        .select_related("consent")
        .only("scope", "qualifier", "answer", "consent__given_at", "consent_id", "file_id")
        .order_by("pk")
    )
    for decision in decisions:
        latest[(decision.scope, decision.qualifier)] = decision
    order = {scope.value: i for i, scope in enumerate(Scope)}
    rows = [
        UseRow(scope, str(Scope(scope).label), qualifier, d.answer, d)
        for (scope, qualifier), d in latest.items()
    ]
    return sorted(rows, key=lambda r: (order[r.scope], r.qualifier))


def history(file: SurvivorFile, *, with_words: bool, limit: int = 100) -> list[Consent]:
    """Consents newest first, each with its decisions (two queries). The survivor's words
    and the interpreter's name are not even loaded unless ``with_words``."""
    queryset = (
        Consent.objects.filter(file=file)
        .select_related("taken_by", "sheet")
        .prefetch_related("decisions")
        .order_by("-recorded_at", "-pk")
    )
    if not with_words:
        queryset = queryset.defer("conditions", "interpreter")
    return list(queryset[:limit])
