"""Reading a file's participation: the current wishes and their versions, the applications
for victim status (their current states and the states they replaced)."""

from __future__ import annotations

from dataclasses import dataclass

from justicework.survivors.models import ParticipationWish, SurvivorFile, VictimStatusApplication


def versions(file: SurvivorFile, limit: int = 50) -> list[ParticipationWish]:
    """Newest first (the first is the current one). One query."""
    return list(
        ParticipationWish.objects.filter(file=file)
        .select_related("recorded_by")
        .order_by("-version")[:limit]
    )


@dataclass(frozen=True)
class ApplicationRow:
    current: VictimStatusApplication
    earlier: list[VictimStatusApplication]


def applications(file: SurvivorFile) -> list[ApplicationRow]:
    """Each application's current state with its earlier states, newest first. One query."""
    rows = list(
        VictimStatusApplication.objects.filter(file=file)
        .select_related("recorded_by")
        .order_by("pk")
    )
    replaced = {r.supersedes_id: r for r in rows if r.supersedes_id is not None}
    by_pk = {r.pk: r for r in rows}
    out: list[ApplicationRow] = []
    for row in rows:
        if row.pk in replaced:
            continue
        earlier: list[VictimStatusApplication] = []
        step = by_pk.get(row.supersedes_id) if row.supersedes_id else None
        while step is not None:
            earlier.append(step)
            step = by_pk.get(step.supersedes_id) if step.supersedes_id else None
        out.append(ApplicationRow(row, earlier))
    return sorted(out, key=lambda r: -r.current.pk)
