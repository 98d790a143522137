"""The grants demo step: a decided call and an open one of the secretariat's programme, with
applications from local partners in several countries and languages, a declared conflict, an
award at the per-recipient maximum and one under it, tranches and a late report; written
through the actions (audited), and a second run adds nothing."""

from __future__ import annotations

import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from justicework.audit.models import AuditEntry
from justicework.core.models import Organisation, User
from justicework.grants.models import Application, Award, Call, GranteeReport, Programme, Tranche
from justicework.grants.models.review import Assignment, DeclaredConflict
from justicework.grants.publication import published_awards

pytestmark = pytest.mark.django_db

KINDS = (Programme, Call, Application, Award, Tranche, GranteeReport, Assignment, AuditEntry)


@pytest.fixture(autouse=True)
def data_dir(settings: object, tmp_path: object) -> None:
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]


def run_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def org() -> Organisation:
    return Organisation.objects.get(slug="demo-secretariat")


def officer() -> User:
    return User.objects.get(email="programme-officer@secretariat.demo.test")


def test_a_decided_and_an_open_call_with_partners_in_several_languages() -> None:
    started = time.perf_counter()
    output = run_demo()
    print(f"demo with the grants step: {time.perf_counter() - started:.1f} s")
    assert "Grants demo: programme" in output
    programme = Programme.objects.get(organisation=org())
    statuses = sorted(Call.objects.filter(programme=programme).values_list("status", flat=True))
    assert statuses == [Call.Status.DECIDED, Call.Status.PUBLISHED]
    decided = Call.objects.get(programme=programme, status=Call.Status.DECIDED)
    assert decided.closes_at <= timezone.now()  # closed early, through the logged change
    assert decided.changes.filter(field="closes_at").exists()
    applications = Application.objects.filter(call__programme=programme)
    assert len(set(applications.values_list("language", flat=True))) >= 4
    assert len(set(applications.values_list("applicant__country", flat=True))) >= 5
    assert applications.filter(status=Application.Status.DRAFT).exists()
    # written by the actions: the officer created the calls, grantees applied
    created = AuditEntry.objects.filter(action="grants.call.created")
    assert set(created.values_list("actor_id", flat=True)) == {officer().pk}


def test_the_conflicted_reviewer_was_never_assigned() -> None:
    run_demo()
    entries = list(DeclaredConflict.objects.select_related("declaration"))
    assert entries
    for entry in entries:
        reviewer_id = entry.declaration.reviewer_id
        assigned = Assignment.objects.filter(
            reviewer_id=reviewer_id, application__applicant=entry.entity
        )
        assert not assigned.exists()
    assert Assignment.objects.filter(review__submitted_at__isnull=False).exists()


def test_awards_at_and_under_the_maximum_tranches_and_a_late_report() -> None:
    run_demo()
    programme = Programme.objects.get(organisation=org())
    awards = list(Award.objects.filter(programme=programme).order_by("pk"))
    assert len(awards) == 2
    assert awards[0].amount == programme.cap_per_recipient
    assert 0 < awards[1].amount < programme.cap_per_recipient
    for award in awards:
        tranches = list(award.tranches.all())
        assert len(tranches) == 2 and sum(t.amount for t in tranches) == award.amount
    late = GranteeReport.objects.filter(
        award__programme=programme, due_on__lt=timezone.localdate(), submitted_at__isnull=True
    )
    assert late.exists()
    published = published_awards().filter(programme=programme)
    assert sorted(published.values_list("pk", flat=True)) == [a.pk for a in awards]


def test_a_second_run_adds_nothing() -> None:
    run_demo()
    before = [model.objects.count() for model in KINDS]
    assert "Grants demo" not in run_demo()
    assert [model.objects.count() for model in KINDS] == before
