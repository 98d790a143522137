"""Modes of liability (art. 25(3), 25(3 bis), 28, 30) and the crimes of other treaties with their
differences from the Rome Statute definitions."""

from __future__ import annotations

from justicework.law.catalogue import ELEMENT_TYPES, catalogue


def test_every_mode_of_the_statute_is_there() -> None:
    provisions = {mode.provision for mode in catalogue().modes_of_liability}
    assert provisions == {
        "art. 25(3)(a)",
        "art. 25(3)(b)",
        "art. 25(3)(c)",
        "art. 25(3)(d)",
        "art. 25(3)(e)",
        "art. 25(3)(f)",
        "art. 25(3 bis)",
        "art. 28(a)",
        "art. 28(b)",
        "art. 30",
    }
    ids = [mode.id for mode in catalogue().modes_of_liability]
    assert len(ids) == len(set(ids))


def test_every_mode_has_typed_and_cited_elements() -> None:
    for mode in catalogue().modes_of_liability:
        assert mode.elements, mode.id
        for element in mode.elements:
            assert element.type in ELEMENT_TYPES, (mode.id, element.number)
            assert element.citation.strip() and element.text.strip(), (mode.id, element.number)


def test_command_responsibility_names_knowledge_and_failure_to_act() -> None:
    modes = {mode.id: mode for mode in catalogue().modes_of_liability}
    military = [e.text for e in modes["28(a)"].elements]
    civilian = [e.text for e in modes["28(b)"].elements]
    assert any("should have known" in text for text in military)
    assert not any("should have known" in text for text in civilian)
    assert any("consciously disregarded" in text for text in civilian)
    assert any("necessary and reasonable measures" in text for text in military + civilian)
    assert modes["28(a)"].sources  # the case law that reads it


def test_torture_and_enforced_disappearance_are_compared_side_by_side() -> None:
    others = {other.id: other for other in catalogue().other_instruments}
    assert set(others) == {"cat-1", "icpped-2"}
    torture, disappearance = others["cat-1"], others["icpped-2"]
    assert torture.compared_with == ("7(1)(f)", "8(2)(a)(ii)-1")
    assert disappearance.compared_with == ("7(1)(i)",)
    for other in others.values():
        assert other.elements and other.url.startswith("https://")
        for difference in other.differences:
            # each difference says how every compared Rome Statute crime treats the aspect
            assert set(difference.rome) == set(other.compared_with), difference.aspect
    aspects = {difference.aspect for difference in torture.differences}
    assert {"Purpose", "Official involvement", "Custody or control"} <= aspects
