"""The catalogue's structure: every crime of the Elements of Crimes, numbered and counted as the
official text numbers and counts them, every element typed and cited, shared elements that exist,
the amendments after 2011 with their instrument and date, titles in the five UI languages."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from justicework.law.catalogue import (
    CATEGORIES,
    CRIME_ID,
    ELEMENT_TYPES,
    LANGUAGES,
    catalogue,
)

#: Crime id -> number of elements in the official Elements of Crimes (counted in the text:
#: 7(1)(i) and 8(2)(b)(viii) number their alternatives (a)/(b) inside one element; 8(2)(b)(xx)
#: has none until an annex lists weapons). The amendments of 2017 and 2019 as adopted.
# fmt: off
OFFICIAL_COUNTS = {
    "6(a)": 4, "6(b)": 4, "6(c)": 5, "6(d)": 5, "6(e)": 7, "7(1)(a)": 3, "7(1)(b)": 4,
    "7(1)(c)": 3, "7(1)(d)": 5, "7(1)(e)": 5, "7(1)(f)": 5, "7(1)(g)-1": 4, "7(1)(g)-2": 4,
    "7(1)(g)-3": 4, "7(1)(g)-4": 3, "7(1)(g)-5": 4, "7(1)(g)-6": 5, "7(1)(h)": 6, "7(1)(i)": 8,
    "7(1)(j)": 7, "7(1)(k)": 5, "8(2)(a)(i)": 5, "8(2)(a)(ii)-1": 6, "8(2)(a)(ii)-2": 5,
    "8(2)(a)(ii)-3": 7, "8(2)(a)(iii)": 5, "8(2)(a)(iv)": 7, "8(2)(a)(v)": 5, "8(2)(a)(vi)": 5,
    "8(2)(a)(vii)-1": 5, "8(2)(a)(vii)-2": 5, "8(2)(a)(viii)": 7, "8(2)(b)(i)": 5,
    "8(2)(b)(ii)": 5, "8(2)(b)(iii)": 7, "8(2)(b)(iv)": 5, "8(2)(b)(v)": 5, "8(2)(b)(vi)": 5,
    "8(2)(b)(vii)-1": 7, "8(2)(b)(vii)-2": 7, "8(2)(b)(vii)-3": 7, "8(2)(b)(vii)-4": 7,
    "8(2)(b)(viii)": 3, "8(2)(b)(ix)": 5, "8(2)(b)(x)-1": 6, "8(2)(b)(x)-2": 6, "8(2)(b)(xi)": 7,
    "8(2)(b)(xii)": 5, "8(2)(b)(xiii)": 7, "8(2)(b)(xiv)": 5, "8(2)(b)(xv)": 4, "8(2)(b)(xvi)": 5,
    "8(2)(b)(xvii)": 4, "8(2)(b)(xviii)": 4, "8(2)(b)(xix)": 5, "8(2)(b)(xx)": 0,
    "8(2)(b)(xxi)": 4, "8(2)(b)(xxii)-1": 4, "8(2)(b)(xxii)-2": 4, "8(2)(b)(xxii)-3": 4,
    "8(2)(b)(xxii)-4": 3, "8(2)(b)(xxii)-5": 4, "8(2)(b)(xxii)-6": 5, "8(2)(b)(xxiii)": 4,
    "8(2)(b)(xxiv)": 4, "8(2)(b)(xxv)": 4, "8(2)(b)(xxvi)": 5, "8(2)(b)(xxvii)": 3,
    "8(2)(b)(xxviii)": 3, "8(2)(b)(xxix)": 3, "8(2)(c)(i)-1": 5, "8(2)(c)(i)-2": 6,
    "8(2)(c)(i)-3": 5, "8(2)(c)(i)-4": 6, "8(2)(c)(ii)": 6, "8(2)(c)(iii)": 7, "8(2)(c)(iv)": 7,
    "8(2)(e)(i)": 5, "8(2)(e)(ii)": 4, "8(2)(e)(iii)": 7, "8(2)(e)(iv)": 5, "8(2)(e)(v)": 5,
    "8(2)(e)(vi)-1": 4, "8(2)(e)(vi)-2": 4, "8(2)(e)(vi)-3": 4, "8(2)(e)(vi)-4": 3,
    "8(2)(e)(vi)-5": 4, "8(2)(e)(vi)-6": 5, "8(2)(e)(vii)": 5, "8(2)(e)(viii)": 5,
    "8(2)(e)(ix)": 7, "8(2)(e)(x)": 5, "8(2)(e)(xi)-1": 6, "8(2)(e)(xi)-2": 6, "8(2)(e)(xii)": 7,
    "8(2)(e)(xiii)": 4, "8(2)(e)(xiv)": 4, "8(2)(e)(xv)": 5, "8(2)(e)(xvi)": 3,
    "8(2)(e)(xvii)": 3, "8(2)(e)(xviii)": 3, "8(2)(e)(xix)": 4, "8 bis": 6,
}
# fmt: on

AMENDMENTS = {
    "8(2)(e)(xiii)": ("rc-res-5", dt.date(2010, 6, 10)),
    "8(2)(e)(xiv)": ("rc-res-5", dt.date(2010, 6, 10)),
    "8(2)(e)(xv)": ("rc-res-5", dt.date(2010, 6, 10)),
    "8 bis": ("rc-res-6", dt.date(2010, 6, 11)),
    "8(2)(b)(xxvii)": ("asp-16-res-4", dt.date(2017, 12, 14)),
    "8(2)(b)(xxviii)": ("asp-16-res-4", dt.date(2017, 12, 14)),
    "8(2)(b)(xxix)": ("asp-16-res-4", dt.date(2017, 12, 14)),
    "8(2)(e)(xvi)": ("asp-16-res-4", dt.date(2017, 12, 14)),
    "8(2)(e)(xvii)": ("asp-16-res-4", dt.date(2017, 12, 14)),
    "8(2)(e)(xviii)": ("asp-16-res-4", dt.date(2017, 12, 14)),
    "8(2)(e)(xix)": ("asp-18-res-5", dt.date(2019, 12, 6)),
}


def test_the_catalogue_holds_every_crime_with_the_official_element_counts() -> None:
    counts = {crime.id: len(crime.elements) for crime in catalogue().crimes}
    assert counts == OFFICIAL_COUNTS


def test_crimes_per_category() -> None:
    per_category = Counter(crime.category for crime in catalogue().crimes)
    assert per_category == {
        "genocide": 5,
        "crimes_against_humanity": 16,
        "war_crimes": 81,
        "aggression": 1,
    }
    assert set(per_category) == set(CATEGORIES)


def test_ids_are_unique_and_follow_the_official_numbering() -> None:
    ids = [crime.id for crime in catalogue().crimes]
    assert len(ids) == len(set(ids))
    assert [crime_id for crime_id in ids if not CRIME_ID.match(crime_id)] == []


@pytest.mark.parametrize(
    "wrong", ["7(1)(l)", "8(2)(d)(i)", "8(2)(b)()", "7(1)(g)-7", "6(f)", "8(2)(b)(xxxx)", "8bis"]
)
def test_the_numbering_pattern_refuses_what_is_not_official(wrong: str) -> None:
    assert not CRIME_ID.match(wrong)


def test_every_crime_has_elements_but_the_one_whose_elements_are_not_drafted() -> None:
    without = [crime for crime in catalogue().crimes if not crime.elements]
    assert [crime.id for crime in without] == ["8(2)(b)(xx)"]
    assert "annex" in without[0].elements_pending


def test_every_element_is_typed_cited_and_numbered_in_order() -> None:
    for crime in catalogue().crimes:
        assert [e.number for e in crime.elements] == list(range(1, len(crime.elements) + 1))
        for element in crime.elements:
            assert element.type in ELEMENT_TYPES, (crime.id, element.number)
            assert element.text.strip(), (crime.id, element.number)
            assert element.citation == (
                f"Elements of Crimes, art. {crime.id}, element {element.number}"
            )


def test_shared_elements_exist_are_used_and_resolved_in_place() -> None:
    data = catalogue()
    used = {e.shared for c in data.crimes for e in c.elements if e.shared}
    assert used == set(data.shared_elements)
    for crime in data.crimes:
        for element in crime.elements:
            if element.shared:
                shared = data.shared_elements[element.shared]
                assert (element.type, element.text) == (shared.type, shared.text)


@pytest.mark.parametrize(
    ("category", "last_two"),
    [
        ("crimes_against_humanity", ["cah-attack", "cah-knowledge"]),
        ("genocide", None),
    ],
)
def test_contextual_elements_close_each_crime(category: str, last_two: list[str] | None) -> None:
    for crime in catalogue().crimes:
        if crime.category != category:
            continue
        if last_two:
            assert [e.shared for e in crime.elements[-2:]] == last_two, crime.id
        else:
            assert crime.elements[-1].shared == "genocide-pattern", crime.id


def test_war_crimes_carry_the_nexus_of_their_kind_of_conflict() -> None:
    for crime in catalogue().crimes:
        if crime.category != "war_crimes" or not crime.elements:
            continue
        international = crime.id.startswith(("8(2)(a)", "8(2)(b)"))
        nexus = "iac-nexus" if international else "niac-nexus"
        assert [e.shared for e in crime.elements[-2:]] == [nexus, "conflict-awareness"], crime.id


def test_grave_breaches_and_common_article_3_name_the_protected_status() -> None:
    for crime in catalogue().crimes:
        shared = {e.shared for e in crime.elements}
        if crime.id.startswith("8(2)(a)"):
            assert "gc-protected-awareness" in shared, crime.id
        if crime.id.startswith("8(2)(c)"):
            assert {"ca3-status", "ca3-status-awareness"} <= shared, crime.id


def test_the_amendments_carry_their_instrument_and_date() -> None:
    added = {
        crime.id: (crime.added_by.id, crime.added_by.date)
        for crime in catalogue().crimes
        if crime.added_by
    }
    assert added == AMENDMENTS


def test_every_crime_has_a_title_in_each_of_the_five_languages() -> None:
    for crime in catalogue().crimes:
        assert set(crime.titles) == set(LANGUAGES), crime.id
        assert all(title.strip() for title in crime.titles.values()), crime.id
    titles = [crime.titles["en"] for crime in catalogue().crimes]
    assert catalogue().crime("7(1)(g)-1").title == "Crime against humanity of rape"
    assert len(titles) == 103


def test_the_catalogue_is_read_once() -> None:
    assert catalogue() is catalogue()


def test_an_unknown_crime_is_named() -> None:
    with pytest.raises(KeyError, match=r"7\(1\)\(z\)"):
        catalogue().crime("7(1)(z)")
