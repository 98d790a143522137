"""Suggestions as pure functions: the recorded context decides which war crimes fit, crimes
against humanity and genocide always leave their contextual elements to establish, and a
pattern of similar incidents is cited only from the threshold on."""

from __future__ import annotations

import datetime as dt

from justicework.law.qualification_map import crimes_by_id, qualification_map
from justicework.law.suggestions import (
    EXCLUDED,
    FITS,
    OPEN,
    PatternRow,
    PatternRule,
    ViolationFacts,
    combine,
    context_reason,
    pattern_count,
    suggest,
)

DAY = dt.date(2024, 3, 10)
RULE = PatternRule(window_days=30, threshold=2)


def facts(type_: str = "killing", context: str = "iac", **kw) -> ViolationFacts:  # type: ignore[no-untyped-def]
    base = {"id": 1, "type": type_, "incident_id": 10, "context": context, "date": DAY,
            "country": "UA", "unit_ids": frozenset({7})}  # fmt: skip
    return ViolationFacts(**{**base, **kw})  # type: ignore[arg-type]


def ids(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.crime_id for s in result.suggestions]


def run(f: ViolationFacts, count: int = 0):  # type: ignore[no-untyped-def]
    return suggest(f, qualification_map(), crimes_by_id(), count, RULE)


def test_a_killing_in_an_international_conflict_is_not_a_common_article_3_murder() -> None:
    result = run(facts(context="iac"))
    assert "8(2)(a)(i)" in ids(result)
    assert "8(2)(c)(i)-1" not in ids(result)
    excluded = {e.crime_id: e.reason for e in result.excluded}
    assert "non-international" in excluded["8(2)(c)(i)-1"]


def test_a_killing_in_a_non_international_conflict_is_not_a_grave_breach() -> None:
    result = run(facts(context="niac"))
    assert "8(2)(c)(i)-1" in ids(result)
    assert "8(2)(a)(i)" in {e.crime_id for e in result.excluded}


def test_occupation_counts_as_an_international_conflict() -> None:
    fit, _ = context_reason(crimes_by_id()["8(2)(a)(i)"], "occupation")
    assert fit == FITS


def test_with_no_conflict_known_war_crimes_stay_open_with_what_to_establish() -> None:
    result = run(facts(context="none_known"))
    war = [s for s in result.suggestions if s.category == "war_crimes"]
    assert {s.crime_id for s in war} == {"8(2)(a)(i)", "8(2)(c)(i)-1"}
    assert all(s.context_fit == OPEN for s in war)
    assert all("none is recorded" in s.reasons[1] for s in war)
    assert result.excluded == ()


def test_crimes_against_humanity_and_genocide_list_their_contextual_elements() -> None:
    result = run(facts(context="iac"))
    by_id = {s.crime_id: s for s in result.suggestions}
    cah, genocide = by_id["7(1)(a)"], by_id["6(a)"]
    assert cah.context_fit == genocide.context_fit == OPEN
    assert {e.shared for e in cah.contextual} == {"cah-attack"}
    assert "cah-knowledge" in {e.shared for e in cah.elements}  # a mental element
    assert {"genocide-intent", "genocide-pattern"} <= {e.shared for e in genocide.elements}
    assert "widespread or systematic" in cah.reasons[1]
    assert "intent to destroy" in genocide.reasons[1]


def test_every_element_of_the_crime_is_still_to_be_established() -> None:
    result = run(facts(type_="rape", context="niac"))
    rape = next(s for s in result.suggestions if s.crime_id == "8(2)(e)(vi)-1")
    assert [e.number for e in rape.elements] == list(
        range(1, len(crimes_by_id()["8(2)(e)(vi)-1"].elements) + 1)
    )


def test_fitting_crimes_come_first() -> None:
    fits = [s.context_fit for s in run(facts(context="iac")).suggestions]
    assert fits == sorted(fits, key=lambda f: f != FITS)
    assert fits[0] == FITS


def test_the_torture_convention_needs_no_conflict() -> None:
    result = run(facts(type_="torture", context="none_known"))
    cat = next(s for s in result.suggestions if s.crime_id == "cat-1")
    assert cat.context_fit == FITS


def test_the_pattern_is_cited_from_the_threshold_on() -> None:
    below = run(facts(), count=1)
    at = run(facts(), count=2)
    cah_below = next(s for s in below.suggestions if s.crime_id == "7(1)(a)")
    cah_at = next(s for s in at.suggestions if s.crime_id == "7(1)(a)")
    assert not any("other incidents" in r for r in cah_below.reasons)
    assert any("2 other incidents" in r for r in cah_at.reasons)
    war = next(s for s in at.suggestions if s.crime_id == "8(2)(a)(i)")
    assert not any("other incidents" in r for r in war.reasons)


def test_a_type_mapped_to_nothing_says_why() -> None:
    result = run(facts(type_="collective_punishment"))
    assert result.suggestions == () and "Rome Statute" in result.note


def row(incident: int = 11, type_: str = "killing", days: int = 0, **kw) -> PatternRow:  # type: ignore[no-untyped-def]
    base = {"incident_id": incident, "type": type_, "date": DAY + dt.timedelta(days),
            "country": "UA", "subdivision": "", "unit_id": 7}  # fmt: skip
    return PatternRow(**{**base, **kw})  # type: ignore[arg-type]


def test_the_pattern_counts_other_incidents_of_the_same_act_unit_time_and_place() -> None:
    rows = [
        row(11), row(11, days=3),  # one incident, two rows: counted once
        row(12, days=-30),  # the window's edge
        row(10),  # the violation's own incident
        row(13, type_="pillage"), row(14, unit_id=8), row(15, days=31),
        row(16, country="GE"), row(17, date=None),
    ]  # fmt: skip
    assert pattern_count(facts(), rows, RULE) == 2


def test_the_subdivision_narrows_the_region_when_both_know_it() -> None:
    rows = [row(11, subdivision="UA-14"), row(12, subdivision="UA-63"), row(13)]
    assert pattern_count(facts(subdivision="UA-14"), rows, RULE) == 2


def test_no_unit_or_no_date_means_no_pattern() -> None:
    assert pattern_count(facts(unit_ids=frozenset()), [row()], RULE) == 0
    assert pattern_count(facts(date=None), [row()], RULE) == 0


def test_a_set_combines_the_crimes_by_how_many_violations_support_them() -> None:
    first = run(facts(id=1, type_="killing", context="iac"))
    second = run(facts(id=2, type_="torture", context="iac"))
    third = run(facts(id=3, type_="killing", context="iac"))
    combined = {c.crime_id: c.violation_ids for c in combine([first, second, third])}
    assert combined["8(2)(a)(i)"] == [1, 3]
    assert combined["7(1)(f)"] == [2]
    assert combine([first, second, third])[0].violation_ids == [1, 3]


def test_excluded_is_a_real_state() -> None:
    fit, _ = context_reason(crimes_by_id()["8(2)(e)(i)"], "iac")
    assert fit == EXCLUDED
