"""Conflicts of interest: the declaration for a call, before any application opens; a conflict
named later stands the reviewer down from applications already assigned; the declaration per
application (none, or a recusal)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from justicework.core import policy
from justicework.grants.actions_review import conflicts
from justicework.grants.models.review import Assignment, ConflictDeclaration, Recusal
from tests.grants.conftest import make_applicant, make_application


def test_reviewer_cannot_open_before_declaring(in_review, reviewer) -> None:
    assignment = Assignment.objects.create(
        call=in_review.call, application=in_review, reviewer=reviewer
    )
    decision = policy.can(reviewer, "open", assignment)
    assert not decision and "Declare" in str(decision.reason)
    conflicts.declare_for_call(reviewer, in_review.call, [])
    assert policy.can(reviewer, "open", assignment)


def test_declared_conflict_closes_the_application_for_good(in_review, reviewer, applicant) -> None:
    assignment = Assignment.objects.create(
        call=in_review.call, application=in_review, reviewer=reviewer
    )
    conflicts.declare_for_call(reviewer, in_review.call, [])
    conflicts.declare_for_call(
        reviewer, in_review.call, [(applicant.entity, "financial", "Board member")]
    )
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.RECUSED
    assert Recusal.objects.get(assignment=assignment).kind == "financial"
    assert not policy.can(reviewer, "open", assignment)
    assert not policy.visible(reviewer, Assignment, "open").filter(pk=assignment.pk).exists()


def test_conflict_with_a_co_applicant_counts(in_review, reviewer) -> None:
    partner = make_applicant("Goma Legal Clinic", country="CD")
    in_review.co_applicants.add(partner.entity)
    assignment = Assignment.objects.create(
        call=in_review.call, application=in_review, reviewer=reviewer
    )
    conflicts.declare_for_call(reviewer, in_review.call, [(partner.entity, "involvement", "")])
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.RECUSED
    assert not policy.can(reviewer, "open", assignment)


def test_only_applicants_of_the_call_can_be_named(in_review, reviewer, open_call) -> None:
    stranger = make_applicant("Not applying")
    with pytest.raises(ValidationError):
        conflicts.declare_for_call(reviewer, open_call, [(stranger.entity, "financial", "")])
    assert not ConflictDeclaration.objects.exists()


@pytest.mark.parametrize("who", ["officer", "viewer", "outsider", "beacon_admin"])
def test_only_reviewers_of_the_programme_declare(in_review, cast, who) -> None:
    with pytest.raises(PermissionDenied):
        conflicts.declare_for_call(getattr(cast, who), in_review.call, [])
    assert not ConflictDeclaration.objects.exists()


def test_per_application_declaration_none_then_scoring_allowed(assigned, reviewer) -> None:
    assert not policy.can(reviewer, "score", assigned)
    conflicts.declare_for_application(reviewer, assigned)
    assert policy.can(reviewer, "score", assigned)
    with pytest.raises(ValidationError):
        conflicts.declare_for_application(reviewer, assigned)


def test_per_application_conflict_is_a_recusal(assigned, reviewer) -> None:
    conflicts.declare_for_application(reviewer, assigned, "relationship", "My cousin leads it.")
    assigned.refresh_from_db()
    assert assigned.status == Assignment.Status.RECUSED
    assert Recusal.objects.get(assignment=assigned).note == "My cousin leads it."
    assert not policy.can(reviewer, "open", assigned)


def test_another_reviewer_cannot_declare_on_my_assignment(assigned, reviewer2) -> None:
    conflicts.declare_for_call(reviewer2, assigned.call, [])
    with pytest.raises(PermissionDenied):
        conflicts.declare_for_application(reviewer2, assigned)
    assert make_application  # the factory stays importable for the other modules
