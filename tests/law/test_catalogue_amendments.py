"""The crimes added by the 2017 and 2019 amendments, as checked against the amendments' texts
(docs/law.md, section lawexport): the instrument and date of each, the number and kinds of
its elements, and the points the check corrected."""

from __future__ import annotations

import datetime as dt

import pytest

from justicework.law.catalogue import catalogue

WEAPONS_2017 = {
    "8(2)(b)(xxvii)": "iac-nexus",
    "8(2)(b)(xxviii)": "iac-nexus",
    "8(2)(b)(xxix)": "iac-nexus",
    "8(2)(e)(xvi)": "niac-nexus",
    "8(2)(e)(xvii)": "niac-nexus",
    "8(2)(e)(xviii)": "niac-nexus",
}


@pytest.mark.parametrize(("crime_id", "nexus"), sorted(WEAPONS_2017.items()))
def test_weapons_crimes_of_2017_have_conduct_nexus_and_awareness(crime_id: str, nexus: str) -> None:
    crime = catalogue().crime(crime_id)
    assert crime.added_by is not None
    assert (crime.added_by.id, crime.added_by.date) == ("asp-16-res-4", dt.date(2017, 12, 14))
    assert [e.type for e in crime.elements] == ["conduct", "contextual", "mental"]
    assert [e.shared for e in crime.elements] == ["", nexus, "conflict-awareness"]


def test_starvation_in_niac_has_the_four_elements_of_2019() -> None:
    crime = catalogue().crime("8(2)(e)(xix)")
    assert crime.added_by is not None
    assert (crime.added_by.id, crime.added_by.date) == ("asp-18-res-5", dt.date(2019, 12, 6))
    assert [e.type for e in crime.elements] == ["conduct", "mental", "contextual", "mental"]
    assert crime.elements[2].shared == "niac-nexus"
    # relief supplies are the Statute's example, not an element of their own
    assert "Statute's text" in crime.elements[0].text


@pytest.mark.parametrize("crime_id", ["8(2)(b)(xxix)", "8(2)(e)(xviii)"])
def test_blinding_lasers_are_weapons_specifically_designed_to_blind(crime_id: str) -> None:
    text = catalogue().crime(crime_id).elements[0].text
    assert "specifically designed" in text and "permanent blindness" in text
    assert "unenhanced vision" in text


BIO_TITLE = (
    "War crime of employing weapons which use microbial or other biological agents, or toxins"
)


@pytest.mark.parametrize("crime_id", ["8(2)(b)(xxvii)", "8(2)(e)(xvi)"])
def test_biological_weapons_title_follows_the_amendment(crime_id: str) -> None:
    assert catalogue().crime(crime_id).title == BIO_TITLE


def test_kampala_weapons_crimes_keep_their_instrument() -> None:
    for crime_id in ("8(2)(e)(xiii)", "8(2)(e)(xiv)", "8(2)(e)(xv)"):
        added = catalogue().crime(crime_id).added_by
        assert added is not None and (added.id, added.date) == ("rc-res-5", dt.date(2010, 6, 10))
