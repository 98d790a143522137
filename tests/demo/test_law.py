"""The law demo step: two case files of ``member-1`` with suspects, charges, a partly filled
matrix with gaps, accepted qualifications and a change of commander; written through the
actions (audited), and a second run adds nothing."""

from __future__ import annotations

import datetime as dt
import time
from io import StringIO

import pytest
from django.core.management import call_command

from justicework.audit.models import AuditEntry
from justicework.core.models import Organisation, User
from justicework.law import case_matrix
from justicework.law.command.chain import Cover, LevelState, load_hierarchy, unit_chain
from justicework.law.models import CaseFile, Charge, MatrixEntry, Qualification
from justicework.violations.models import UnitCommander

pytestmark = pytest.mark.django_db

KINDS = (CaseFile, Charge, MatrixEntry, Qualification, UnitCommander, AuditEntry)


def run_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def org() -> Organisation:
    return Organisation.objects.get(slug="demo-member-1")


def analyst() -> User:
    return User.objects.get(email="legal-analyst@member-1.demo.test")


def test_two_case_files_with_charges_entries_and_gaps() -> None:
    started = time.perf_counter()
    output = run_demo()
    print(f"demo with the law step: {time.perf_counter() - started:.1f} s")
    assert "Law demo: 2 case files" in output
    cases = CaseFile.objects.filter(organisation=org())
    assert cases.count() == 2
    for case in cases:
        charges = list(case.charges.all())
        assert 2 <= len(charges) <= 4
        assert {c.mode_id for c in charges} <= {"25(3)(a)-direct", "28(a)"}
        entries = list(MatrixEntry.objects.filter(charge__case=case))
        assert entries
        assert case.suspect_units.exists() and case.suspect_persons.exists()
        assert case.violations.exists() and case.incidents.exists()
        rows = case_matrix.build(charges, entries, "en")
        gaps = case_matrix.missing(rows)
        cells = sum(len(row.cells) for row in rows)
        assert 0 < len(gaps) < cells  # partly filled: some elements established, some not
    bearings = set(MatrixEntry.objects.values_list("bearing", flat=True))
    strengths = set(MatrixEntry.objects.values_list("strength", flat=True))
    assert bearings == {"supports", "contradicts"}
    assert len(strengths) >= 3
    # written by the actions, as the legal analyst
    added = AuditEntry.objects.filter(action="law.matrix.entry_added", organisation_id=org().pk)
    assert added.count() == MatrixEntry.objects.count()
    assert set(added.values_list("actor_id", flat=True)) == {analyst().pk}


def test_accepted_qualifications_are_the_analysts() -> None:
    run_demo()
    found = Qualification.objects.filter(organisation=org())
    assert 1 <= found.count() <= 2
    assert set(found.values_list("status", flat=True)) == {Qualification.Status.ACCEPTED}
    assert set(found.values_list("analyst_id", flat=True)) == {analyst().pk}


def test_the_chain_names_different_commanders_across_the_change() -> None:
    run_demo()
    ended = UnitCommander.objects.filter(organisation=org(), end_date__isnull=False).get()
    unit = ended.unit
    successor = UnitCommander.objects.get(unit=unit, start_date=ended.end_date + dt.timedelta(1))
    assert successor.person_id != ended.person_id
    hierarchy = load_hierarchy(analyst(), org().pk)

    def holders(on: dt.date) -> set[int]:
        level = unit_chain(hierarchy, unit.pk, on)[-1]
        assert level.state is LevelState.KNOWN
        return {h.command.person_id for h in level.holders if h.cover is Cover.YES}

    assert holders(ended.end_date) == {ended.person_id}
    assert holders(successor.start_date) == {successor.person_id}
    case = CaseFile.objects.get(organisation=org(), suspect_units=unit)
    assert {ended.person_id, successor.person_id} <= set(
        case.suspect_persons.values_list("pk", flat=True)
    )


def test_a_second_run_adds_nothing() -> None:
    run_demo()
    before = [model.objects.count() for model in KINDS]
    assert "Law demo" not in run_demo()
    assert [model.objects.count() for model in KINDS] == before
