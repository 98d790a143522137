"""The law demo's fixed plans (``demo.law``) agree with the law catalogue and the
qualification map: every crime a plan charges exists and is one its violation type may amount
to, and every matrix entry and art. 28 record names an element the crime or mode has, with a
bearing and strength the matrix accepts."""

from __future__ import annotations

from justicework.demo import law as demo
from justicework.law.catalogue import catalogue
from justicework.law.models.matrix import MatrixEntry
from justicework.law.qualification_map import qualification_map
from justicework.violations import vocabularies


def mode(mode_id: str):  # type: ignore[no-untyped-def]
    return next(m for m in catalogue().modes_of_liability if m.id == mode_id)


def test_the_modes_charged_are_in_the_catalogue():
    assert mode(demo.DIRECT).provision and mode(demo.COMMANDER).provision


def test_every_crime_charged_is_one_its_violation_type_may_amount_to():
    types = {t.code for t in vocabularies.get("violation_types")}
    qmap = qualification_map()
    for plan in demo.PLANS:
        for violation_type, crime_id in plan.crimes.items():
            assert violation_type in types, (plan.title, violation_type)
            assert catalogue().crime(crime_id).elements, (plan.title, crime_id)
            assert crime_id in qmap.crimes_for(violation_type), (violation_type, crime_id)


def test_matrix_entries_name_elements_the_crimes_and_the_direct_mode_have():
    fewest = min(
        len(catalogue().crime(crime_id).elements)
        for plan in demo.PLANS
        for crime_id in plan.crimes.values()
    )
    for part, element, bearing, strength in demo.ENTRIES:
        assert part in MatrixEntry.Part.values
        assert bearing in MatrixEntry.Bearing.values and bearing in demo.NOTES
        assert strength in MatrixEntry.Strength.values
        limit = fewest if part == "crime" else len(mode(demo.DIRECT).elements)
        assert 1 <= element <= limit, (part, element)


def test_art28_records_name_elements_of_command_responsibility():
    elements = {e.number for e in mode(demo.COMMANDER).elements}
    for element, bearing, strength, kind in demo.ART28_RECORDS:
        assert element in elements and element in demo.ART28_NOTES
        assert bearing in MatrixEntry.Bearing.values
        assert strength in MatrixEntry.Strength.values
        assert kind in {"violation", "incident", "source"}


def test_every_note_says_it_is_synthetic():
    notes = [*demo.NOTES.values(), *demo.ART28_NOTES.values(), *(p.summary for p in demo.PLANS)]
    assert all(note.startswith("(Synthetic demo") for note in notes)
