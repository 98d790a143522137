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


def test_a_re_subordination_and_art28_element_records() -> None:
    from justicework.law.command import records
    from justicework.law.command.chain import Basis
    from justicework.law.models import CommandElementRecord
    from justicework.violations.models import UnitSubordination

    output = run_demo()
    subs = list(UnitSubordination.objects.filter(organisation=org()).order_by("pk"))
    assert len(subs) == 2 and subs[0].unit_id == subs[1].unit_id
    assert subs[0].valid_to is not None and subs[1].valid_from == subs[0].valid_to + dt.timedelta(1)
    assert "moved from" in output and "art. 28 element records" in output
    hierarchy = load_hierarchy(analyst(), org().pk)
    before = unit_chain(hierarchy, subs[0].unit_id, subs[0].valid_to)
    after = unit_chain(hierarchy, subs[0].unit_id, subs[1].valid_from)
    assert before[-2].unit.id == subs[0].parent_id and after[-2].unit.id == subs[1].parent_id
    assert before[-1].basis is Basis.DATED is after[-1].basis
    # per-element records for the commanders, written by the analyst; some elements left empty
    assert CommandElementRecord.objects.filter(case__organisation=org()).exists()
    added = AuditEntry.objects.filter(action="law.command_record.added", organisation_id=org().pk)
    assert set(added.values_list("actor_id", flat=True)) == {analyst().pk}
    case = CaseFile.objects.filter(organisation=org(), command_records__isnull=False).first()
    assert case is not None
    groups = [g for g in records.for_case(analyst(), case) if g.suspect[0] == "person"]
    assert groups and all(g.empty_elements for g in groups)
    bearings = {r.bearing for g in groups for e in g.elements for r in e.rows}
    assert bearings == {"supports", "contradicts"}
    # a second run adds nothing
    count = UnitSubordination.objects.count(), CommandElementRecord.objects.count()
    run_demo()
    assert (UnitSubordination.objects.count(), CommandElementRecord.objects.count()) == count
