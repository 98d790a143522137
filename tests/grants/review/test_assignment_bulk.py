"""The assignment run's fast path: its rows go through ``core.bulk`` and store what the manual
assignment stores; the run is audited once, naming every assignment it made, and the entry can
be checked against the rows."""

from __future__ import annotations

import pytest

from justicework.audit.models import AuditEntry
from justicework.core import bulk
from justicework.core.roles import Role
from justicework.grants import assignment as assigning
from justicework.grants.models import Application
from justicework.grants.models.review import Assignment
from tests.grants.conftest import make_applicant, make_application
from tests.grants.review.conftest import member

pytestmark = pytest.mark.django_db

#: the fields that differ between any two assignments whatever path made them
_OWN = {"id", "application", "reviewer", "assigned_at"}


def _apps(call, count: int, first: int = 0) -> list[Application]:  # type: ignore[no-untyped-def]
    return [
        make_application(
            call, make_applicant(f"Bulk {n}").entity, status=Application.Status.IN_REVIEW
        )
        for n in range(first, first + count)
    ]


def _stored(row: Assignment) -> dict[str, object]:
    return {
        f.attname: getattr(row, f.attname)
        for f in Assignment._meta.concrete_fields
        if f.name not in _OWN
    }


def test_assignment_has_no_callable_default_the_run_leaves_to_the_template() -> None:
    """``bulk.maker`` evaluates defaults once per run: a callable default the run does not set
    would give every row one value."""
    assert Assignment in bulk.written()
    assert bulk.callable_defaults(Assignment) == []


def test_run_rows_store_what_the_manual_assignment_stores(open_call, acme, officer) -> None:
    people = [member(acme, f"bulk{n}@acme.test", Role.REVIEWER) for n in range(2)]
    first, second = _apps(open_call, 2)
    open_call.reviews_per_application = 1
    manual = assigning.assign(officer, first, people[0])
    assigning.run_assignment(officer, open_call)
    ran = Assignment.objects.get(application=second)
    manual.refresh_from_db()
    assert _stored(ran) == _stored(manual)
    assert ran.assigned_at is not None and ran.assigned_by_id == officer.pk


def test_run_is_audited_once_naming_every_assignment_it_made(open_call, acme, officer) -> None:
    for n in range(4):
        member(acme, f"bulk{n}@acme.test", Role.REVIEWER)
    _apps(open_call, 7)
    before = AuditEntry.objects.count()
    plan = assigning.run_assignment(officer, open_call)
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.get(action="grants.review.assigned")
    assert entry.actor_id == officer.pk and entry.object_id == str(open_call.pk)
    listed = {tuple(item) for item in entry.diff["assignments"]}
    rows = set(
        Assignment.objects.filter(call=open_call).values_list("pk", "application_id", "reviewer_id")
    )
    assert listed == rows and len(listed) == len(plan.pairs) == 7 * 3
    assert entry.diff["short"] == []


def test_a_top_up_run_lists_only_the_assignments_it_added(open_call, acme, officer) -> None:
    for n in range(3):
        member(acme, f"bulk{n}@acme.test", Role.REVIEWER)
    _apps(open_call, 2)
    assigning.run_assignment(officer, open_call)
    made_before = set(Assignment.objects.values_list("pk", flat=True))
    _apps(open_call, 1, first=2)
    assigning.run_assignment(officer, open_call)
    second = AuditEntry.objects.filter(action="grants.review.assigned").order_by("-seq").first()
    assert second is not None
    added = {item[0] for item in second.diff["assignments"]}
    assert added == set(Assignment.objects.values_list("pk", flat=True)) - made_before
    assert len(added) == open_call.reviews_per_application == 3
