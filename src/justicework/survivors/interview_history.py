"""What a survivor has already told: earlier interviews (of every organisation whose
interviews the reader may see) and the testimonies given by the person (``violations.Source``
with the person, through the policy, so a partner's shared statement counts where sharing
allows and a withdrawn consent hides it). Shown before a new interview and counted by the
"does this interview add value?" check; the report of survivors interviewed too often."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import BooleanField, Count, ExpressionWrapper, Max, Q

from justicework.core import policy
from justicework.core.models import User
from justicework.survivors import rules
from justicework.survivors.models import Interview, SurvivorFile
from justicework.survivors.models.interviews import TEXT_FIELDS
from justicework.violations.models import Person, Source


@dataclass(frozen=True)
class Earlier:
    interviews: list[Interview]
    sources: list[Source]

    @property
    def count(self) -> int:
        return len(self.interviews) + len(self.sources)


def earlier_accounts(user: User, file: SurvivorFile, limit: int = 100) -> Earlier:
    """Two queries; no narrative is loaded."""
    interviews = (
        policy.visible(user, Interview, "view")
        .filter(file=file)
        .defer(*TEXT_FIELDS)
        .annotate(
            has_narrative=ExpressionWrapper(Q(narrative__isnull=False), BooleanField()),
            has_sv_narrative=ExpressionWrapper(
                Q(sexual_violence_narrative__isnull=False), BooleanField()
            ),
        )
        .select_related("interviewer")
        .order_by("-held_at", "-pk")
    )
    sources = (
        policy.visible(user, Source, "view")
        .filter(person_id=file.person_id)
        .only("id", "title", "kind", "date", "organisation_id", "person_id")
        .order_by("-date", "-pk")
    )
    return Earlier(list(interviews[:limit]), list(sources[:limit]))


@dataclass(frozen=True)
class Frequent:
    person_id: int
    code: str
    interviews: int
    last: dt.datetime


def interviewed_often(user: User, limit: int | None = None) -> list[Frequent]:
    """Survivors interviewed more than ``limit`` times (``SURVIVORS_INTERVIEW_LIMIT``), in the
    organisations where ``user`` works with survivors, persons through the policy (and so the
    consent gate). One query."""
    limit = limit if limit is not None else settings.SURVIVORS_INTERVIEW_LIMIT
    persons = policy.visible(user, Person, "view").values("pk")
    rows: Any = (
        SurvivorFile.objects.filter(
            organisation_id__in=sorted(rules.supporting_orgs(user)), person_id__in=persons
        )
        .annotate(n=Count("interviews", filter=Q(interviews__isnull=False)))
        .filter(n__gt=limit)
        .annotate(last=Max("interviews__held_at"))
        .values_list("person_id", "person__code", "n", "last")
        .order_by("-n", "person_id")
    )
    return [Frequent(*row) for row in rows[:500]]
