"""Gap computation and the "what is missing" hints (law/case_matrix.py)."""

from __future__ import annotations

import pytest

from justicework.law import actions_cases as actions
from justicework.law import case_matrix
from justicework.law.catalogue import ELEMENT_TYPES, catalogue
from justicework.law.models import MatrixEntry
from justicework.law.queries_cases import matrix_for


def test_every_element_type_has_hints() -> None:
    for kind in ELEMENT_TYPES:
        hint = case_matrix.hint_for(kind)
        assert hint.kinds and set(hint.kinds) <= set(case_matrix.KIND_LABELS)
    assert case_matrix.hint_for("mental").kinds[:2] == ("testimony", "documentary")
    assert "expert" in case_matrix.hint_for("contextual").kinds


def test_every_element_of_crime_and_mode_is_a_cell(records, cast) -> None:
    charge = actions.add_charge(None, records.case, crime_id="7(1)(a)", mode_id="28(a)")
    [row] = matrix_for(cast.analyst, records.case, "en").rows
    crime = catalogue().crime("7(1)(a)")
    mode = {m.id: m for m in catalogue().modes_of_liability}["28(a)"]
    assert len(row.cells) == len(crime.elements) + len(mode.elements)
    # the shared contextual element (the attack) is resolved in place
    assert any(c.element.shared and c.element.type == "contextual" for c in row.cells)
    assert row.charge == charge
    assert len(row.gaps) == len(row.cells)  # nothing supports anything yet


@pytest.mark.parametrize(
    ("entries", "gap", "strength"),
    [
        ([], True, "none"),
        ([("supports", "weak")], True, "weak"),
        ([("supports", "weak"), ("supports", "weak")], True, "weak"),
        ([("contradicts", "strong")], True, "none"),
        ([("supports", "moderate")], False, "moderate"),
        ([("supports", "weak"), ("supports", "strong")], False, "strong"),
    ],
)
def test_gap_when_no_support_above_weak(records, cast, entries, gap, strength) -> None:
    charge = actions.add_charge(None, records.case, crime_id="7(1)(a)", mode_id="25(3)(c)")
    for bearing, level in entries:
        actions.add_matrix_entry(
            None, charge, part="crime", element=1, link=records.violation,
            bearing=bearing, strength=level,
        )  # fmt: skip
    matrix = matrix_for(cast.analyst, records.case, "en")
    cell = matrix.rows[0].cells[0]
    assert (cell.gap, cell.strength) == (gap, strength)
    listed = {(m.part, m.element.number) for m in matrix.missing}
    assert (("crime", 1) in listed) is gap


def test_missing_names_the_kinds_by_element_type(records, cast) -> None:
    actions.add_charge(None, records.case, crime_id="7(1)(a)", mode_id="25(3)(c)")
    missing = matrix_for(cast.analyst, records.case, "en").missing
    for line in missing:
        assert [k for k, _ in line.kinds] == list(case_matrix.hint_for(line.element.type).kinds)
    assert {line.element.type for line in missing} >= {"conduct", "mental", "contextual"}


def test_link_hidden_from_a_reader_who_cannot_see_the_record(records, cast) -> None:
    """An incident restricted later keeps its entry's assessment but hides its link."""
    from justicework.violations import actions as violation_actions

    charge = actions.add_charge(None, records.case, crime_id="7(1)(a)", mode_id="25(3)(c)")
    entry = actions.add_matrix_entry(
        None, charge, part="crime", element=1, link=records.incident,
        bearing="supports", strength="strong",
    )  # fmt: skip
    violation_actions.update_incident(None, records.incident, sensitivity="restricted")
    seen_by_viewer = matrix_for(cast.viewer, records.case, "en")
    assert seen_by_viewer.link_of(entry) == ("incident", None)
    assert matrix_for(cast.admin, records.case, "en").link_of(entry) == (
        "incident",
        records.incident.pk,
    )
    assert MatrixEntry.objects.count() == 1


def test_counted_in_the_database_as_from_the_entries(records, cast) -> None:
    """The matrix page's per-cell tallies (one GROUP BY) agree with the entries, cell by cell."""
    import random

    from justicework.law.queries_cases import summary_for

    chance = random.Random(14)
    first = actions.add_charge(None, records.case, crime_id="7(1)(a)", mode_id="25(3)(c)")
    second = actions.add_charge(None, records.case, crime_id="8(2)(a)(i)", mode_id="28(a)")
    links = [records.violation, records.incident, records.item]
    for charge in (first, second):
        cells = [(c.part, c.element.number) for c in case_matrix.build([charge], [], "en")[0].cells]
        for _n in range(30):
            part, number = chance.choice(cells)
            actions.add_matrix_entry(
                None, charge, part=part, element=number, link=chance.choice(links),
                bearing=chance.choice(MatrixEntry.Bearing.values),
                strength=chance.choice(MatrixEntry.Strength.values),
            )  # fmt: skip
    loaded = matrix_for(cast.viewer, records.case, "en").rows
    counted = summary_for(cast.viewer, records.case, "en").rows
    for old, new in zip(loaded, counted, strict=True):
        for a, b in zip(old.cells, new.cells, strict=True):
            assert (a.part, a.element.number) == (b.part, b.element.number)
            assert (a.strength, a.gap, a.contradicted) == (b.strength, b.gap, b.contradicted)
            assert b.tally.supporting == len(a.supporting)
            assert b.tally.total == len(a.entries)
            assert b.entries == []  # the summary loads no entry
    assert sum(c.tally.total for row in counted for c in row.cells) == 60
