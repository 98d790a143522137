"""Conflicts of interest: a reviewer's declaration for a call (before any application opens
for them), later additions, and the declaration per application when assigned. A conflict
with an application a reviewer is assigned to stands them down from it (a recusal)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.core import policy
from justicework.core.models import User
from justicework.grants.actions_review.common import audit
from justicework.grants.models import Application, Call, LegalEntity
from justicework.grants.models.review import (
    Assignment,
    ConflictDeclaration,
    ConflictKind,
    DeclaredConflict,
    Recusal,
)
from justicework.grants.rules_review import may_review_in

#: applications whose applicants a reviewer may declare a conflict with
LISTED = [Application.Status.SUBMITTED, Application.Status.IN_REVIEW]


def applicant_entities(call: Call) -> list[LegalEntity]:
    """The applicants and co-applicants of the call's submitted applications."""
    apps = Application.objects.filter(call=call).exclude(
        status__in=[Application.Status.DRAFT, Application.Status.WITHDRAWN]
    )
    return list(
        LegalEntity.objects.filter(Q(applications__in=apps) | Q(co_applications__in=apps))
        .distinct()
        .order_by("legal_name", "pk")
    )


def _recuse(actor: User, assignment: Assignment, kind: str, note: str) -> None:
    Recusal.objects.create(assignment=assignment, kind=kind, note=note, recorded_by=actor)
    assignment.status = Assignment.Status.RECUSED
    assignment.save(update_fields=["status"])


@transaction.atomic
def declare_for_call(
    actor: User, call: Call, conflicts: Iterable[tuple[LegalEntity, str, str]]
) -> ConflictDeclaration:
    """Declare (the first time: possibly none) or add conflicts; never withdraws one."""
    decision = may_review_in(actor, call)
    if not decision:
        raise PermissionDenied(str(decision.reason))
    conflicts = list(conflicts)
    allowed = {e.pk for e in applicant_entities(call)}
    for entity, kind, _note in conflicts:
        if entity.pk not in allowed:
            raise ValidationError({"entity": _("This organisation has not applied to the call.")})
        if kind not in ConflictKind.values:
            raise ValidationError({"kind": _("Choose the kind of conflict.")})
    declaration, created = ConflictDeclaration.objects.get_or_create(call=call, reviewer=actor)
    added = []
    for entity, kind, note in conflicts:
        _row, made = DeclaredConflict.objects.get_or_create(
            declaration=declaration, entity=entity, defaults={"kind": kind, "note": note[:500]}
        )
        if made:
            added.append(entity.pk)
    recused = _recuse_conflicted(actor, call, added)
    audit(
        actor,
        "conflicts_declared",
        declaration,
        call,
        first=created,
        entities=sorted(added),
        recused=recused,
    )
    return declaration


def _recuse_conflicted(actor: User, call: Call, entity_ids: list[int]) -> list[int]:
    if not entity_ids:
        return []
    kinds = dict(
        DeclaredConflict.objects.filter(
            declaration__call=call, declaration__reviewer=actor
        ).values_list("entity_id", "kind")
    )
    hit = (
        Assignment.objects.filter(call=call, reviewer=actor, status=Assignment.Status.ACTIVE)
        .filter(
            Q(application__applicant_id__in=entity_ids)
            | Q(application__co_applicants__in=entity_ids)
        )
        .select_related("application")
        .distinct()
    )
    recused = []
    for assignment in hit:
        kind = kinds.get(assignment.application.applicant_id, ConflictKind.RELATIONSHIP)
        _recuse(actor, assignment, kind, _("Declared for the call."))
        recused.append(assignment.pk)
    return recused


@transaction.atomic
def declare_for_application(
    actor: User, assignment: Assignment, kind: str = "", note: str = ""
) -> Assignment:
    """The reviewer's declaration on one assigned application: none (they may score) or a
    conflict (they stand down)."""
    policy.require(actor, "open", assignment)
    if assignment.no_conflict_at is not None:
        raise ValidationError({"kind": _("You declared already for this application.")})
    if kind:
        if kind not in ConflictKind.values:
            raise ValidationError({"kind": _("Choose the kind of conflict.")})
        _recuse(actor, assignment, kind, (note or "").strip()[:500])
        audit(actor, "recused", assignment, assignment.call, kind=kind)
        return assignment
    assignment.no_conflict_at = timezone.now()
    assignment.save(update_fields=["no_conflict_at"])
    audit(actor, "no_conflict_declared", assignment, assignment.call)
    return assignment
