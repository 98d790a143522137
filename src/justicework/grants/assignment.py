"""Assigning reviewers to applications: N reviews per application (the call's
``reviews_per_application``) among the call's reviewers, never a reviewer who declared a conflict
with the applicant or a co-applicant (nor one who stood down from it), only reviewers who read
the application's language, and the load balanced.

The algorithm is greedy: applications are taken most-constrained first (fewest reviewers able to
take them), and each gets the reviewers with the lowest load so far among those able to take it
(``heapq.nsmallest`` on (load, reviewer id), so ties go to the same reviewer order every run).
Taking the hard applications first keeps the few reviewers they can have free for them; picking
the least loaded keeps loads within one of each other wherever the constraints allow. It is
O(A x R log N) for A applications and R reviewers, with a handful of flat queries to load the
data and one bulk insert: no query per application.

Applications that cannot get N reviewers are reported with why (how many reviewers were
conflicted, how many do not read its language). A run tops up: assignments already made count
toward N and toward the loads.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.core import bulk
from justicework.core.models import Membership, User
from justicework.core.roles import Capability, roles_with
from justicework.grants.actions_review.common import audit, require_staff
from justicework.grants.models import Application, Call
from justicework.grants.models.review import Assignment, DeclaredConflict, ReviewerProfile
from justicework.grants.models.review_scores import Review

# The run writes its assignments through the bulk path; every run stamps ``assigned_at`` itself.
bulk.writes(Assignment, given=("assigned_at",))


@dataclass(frozen=True)
class Candidate:
    """An application as the algorithm sees it."""

    pk: int
    reference: str
    language: str
    entities: frozenset[int]


@dataclass
class Shortfall:
    application_id: int
    reference: str
    wanted: int
    got: int
    conflicted: int
    other_language: int


@dataclass
class Plan:
    pairs: list[tuple[int, int]] = field(default_factory=list)
    shortfalls: list[Shortfall] = field(default_factory=list)


@dataclass
class Pool:
    """The call's reviewers and what rules them out."""

    #: reviewer id -> the languages they review in
    languages: dict[int, frozenset[str]]
    #: (reviewer id, legal entity id) pairs declared as conflicts
    conflicts: set[tuple[int, int]]
    #: application id -> reviewers already assigned (any status: a recused one never returns)
    taken: dict[int, set[int]]
    #: reviewer id -> active assignments in the call
    load: dict[int, int]
    #: application id -> how many of its assignments are recusals (they give no review)
    recused: dict[int, int] = field(default_factory=dict)


@dataclass
class _Index:
    """The pool turned around once per run, so each application is matched against the
    reviewers of its language and the reviewers conflicted with its entities only (not every
    reviewer of the call in turn)."""

    #: language -> the pool's reviewers who review in it
    readers: dict[str, list[int]]
    #: legal entity id -> the pool's reviewers conflicted with it
    against: dict[int, set[int]]
    members: frozenset[int]

    @classmethod
    def of(cls, pool: Pool) -> _Index:
        readers: dict[str, list[int]] = defaultdict(list)
        for reviewer, languages in pool.languages.items():
            for language in languages:
                readers[language].append(reviewer)
        against: dict[int, set[int]] = defaultdict(set)
        for reviewer, entity in pool.conflicts:
            if reviewer in pool.languages:
                against[entity].add(reviewer)
        return cls(dict(readers), dict(against), frozenset(pool.languages))


def _able(pool: Pool, app: Candidate, index: _Index) -> tuple[list[int], int, int]:
    """The reviewers able to take ``app``, and of the others not yet on it, how many are
    conflicted and how many do not read its language (a conflict counts first)."""
    taken = pool.taken.get(app.pk, set())
    conflicted = set().union(*(index.against.get(e, ()) for e in app.entities))
    able = [
        r for r in index.readers.get(app.language, ()) if r not in taken and r not in conflicted
    ]
    free = len(index.members) - len(index.members & taken)
    n_conflicted = len(conflicted - taken)
    return able, n_conflicted, free - n_conflicted - len(able)


def plan(apps: Iterable[Candidate], pool: Pool, per_application: int) -> Plan:
    """The pairs (application id, reviewer id) to add, and the applications left short."""
    result = Plan()
    active = defaultdict(int, pool.load)
    index = _Index.of(pool)
    options = []
    for app in apps:
        have = len(pool.taken.get(app.pk, set())) - pool.recused.get(app.pk, 0)
        need = per_application - have
        if need > 0:
            options.append((app, need, *_able(pool, app, index)))
    options.sort(key=lambda o: (len(o[2]) - o[1], o[0].pk))  # least slack first
    for app, need, able, conflicted, other_language in options:
        chosen = heapq.nsmallest(need, able, key=lambda r: (active[r], r))
        for reviewer in chosen:
            active[reviewer] += 1
            result.pairs.append((app.pk, reviewer))
        if len(chosen) < need:
            got = per_application - need + len(chosen)
            result.shortfalls.append(
                Shortfall(app.pk, app.reference, per_application, got, conflicted, other_language)
            )
    return result


def reviewer_ids(call: Call) -> list[int]:
    """The active members of the call's organisation who review (``review.submit``)."""
    return sorted(
        Membership.objects.filter(
            organisation_id=call.organisation_id,
            role__in=roles_with(Capability.REVIEW),
            user__is_active=True,
        ).values_list("user_id", flat=True)
    )


def reviewer_languages(ids: list[int]) -> dict[int, frozenset[str]]:
    """Each reviewer's languages: their profile's, else their preferred UI language, else the
    site's default."""
    profiles = dict(
        ReviewerProfile.objects.filter(user_id__in=ids).values_list("user_id", "languages")
    )
    preferred = dict(User.objects.filter(pk__in=ids).values_list("pk", "preferred_language"))
    default = settings.LANGUAGE_CODE.split("-")[0]
    return {pk: frozenset(profiles.get(pk) or [preferred.get(pk) or default]) for pk in ids}


def load_candidates(call: Call) -> list[Candidate]:
    rows = Application.objects.filter(call=call, status=Application.Status.IN_REVIEW)
    co: dict[int, set[int]] = defaultdict(set)
    through = Application.co_applicants.through
    for app_id, entity_id in through.objects.filter(application__call=call).values_list(
        "application_id", "legalentity_id"
    ):
        co[app_id].add(entity_id)
    return [
        Candidate(pk, ref, lang, frozenset({applicant, *co[pk]}))
        for pk, ref, lang, applicant in rows.order_by("pk").values_list(
            "pk", "reference", "language", "applicant_id"
        )
    ]


def load_pool(call: Call) -> Pool:
    ids = reviewer_ids(call)
    conflicts = set(
        DeclaredConflict.objects.filter(declaration__call=call).values_list(
            "declaration__reviewer_id", "entity_id"
        )
    )
    taken: dict[int, set[int]] = defaultdict(set)
    load: dict[int, int] = defaultdict(int)
    recused: dict[int, int] = defaultdict(int)
    rows = Assignment.objects.filter(call=call).values_list(
        "application_id", "reviewer_id", "status"
    )
    for app_id, reviewer, status in rows:
        taken[app_id].add(reviewer)
        if status == Assignment.Status.ACTIVE:
            load[reviewer] += 1
        else:
            recused[app_id] += 1
    return Pool(reviewer_languages(ids), conflicts, dict(taken), dict(load), dict(recused))


@transaction.atomic
def run_assignment(actor: User | None, call: Call) -> Plan:
    """Top up every application in review to N reviewers; report those left short."""
    require_staff(actor, call)
    result = plan(load_candidates(call), load_pool(call), call.reviews_per_application)
    new = bulk.maker(
        Assignment,
        call_id=call.pk,
        assigned_by_id=None if actor is None else actor.pk,
        assigned_at=timezone.now(),
    )
    rows = [new(application_id=a, reviewer_id=r) for a, r in result.pairs]
    bulk.insert(Assignment, rows)
    # One entry for the run (a row each would be 6,000 entries for one click), naming every
    # assignment it made by id, application and reviewer: the log still answers "who assigned
    # this reviewer to this application, when" and can be checked row by row.
    audit(
        actor,
        "assigned",
        call,
        call,
        assignments=[[row.pk, row.application_id, row.reviewer_id] for row in rows],
        short=[s.application_id for s in result.shortfalls],
    )
    return result


@transaction.atomic
def assign(actor: User | None, application: Application, reviewer: User) -> Assignment:
    """A manual assignment: a reviewer of the call with no declared conflict."""
    call = application.call
    require_staff(actor, call)
    if application.status != Application.Status.IN_REVIEW:
        raise ValidationError({"application": _("Only an application in review is assigned.")})
    if reviewer.pk not in reviewer_ids(call):
        raise ValidationError({"reviewer": _("This person is not a reviewer of the programme.")})
    entities = {application.applicant_id, *application.co_applicants.values_list("pk", flat=True)}
    if DeclaredConflict.objects.filter(
        declaration__call=call, declaration__reviewer=reviewer, entity_id__in=sorted(entities)
    ).exists():
        raise ValidationError(
            {"reviewer": _("This reviewer declared a conflict with the applicant.")}
        )
    if Assignment.objects.filter(application=application, reviewer=reviewer).exists():
        raise ValidationError({"reviewer": _("This reviewer is assigned already.")})
    assignment = Assignment.objects.create(
        call=call, application=application, reviewer=reviewer, assigned_by=actor
    )
    audit(actor, "assigned_manually", assignment, call, reviewer=reviewer.pk)
    return assignment


@transaction.atomic
def unassign(actor: User | None, assignment: Assignment) -> None:
    """Take an assignment back (never one whose review is submitted, nor a recusal)."""
    require_staff(actor, assignment.call)
    if (
        assignment.status != Assignment.Status.ACTIVE
        or Review.objects.filter(assignment=assignment, submitted_at__isnull=False).exists()
    ):
        raise ValidationError({"assignment": _("A submitted review or a recusal stays.")})
    audit(
        actor,
        "unassigned",
        assignment,
        assignment.call,
        application=assignment.application_id,
        reviewer=assignment.reviewer_id,
    )
    assignment.delete()
