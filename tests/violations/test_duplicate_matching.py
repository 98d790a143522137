"""Likely-duplicate matching that tolerates added suffixes, middle names, swapped order,
transliteration and typos, and names the fields that matched (issue 11)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from justicework.violations import actions, duplicates, translit
from justicework.violations.identity import age_years, identity_index_values
from justicework.violations.models import PersonIndex

KEY = b"k" * 32
DOB = dt.date(1984, 5, 6)
Kind = PersonIndex.Kind


def fields(stored: dict, row: dict) -> set[str]:
    index = duplicates.value_index([identity_index_values(stored, KEY)])
    found = duplicates.match_in(index, identity_index_values(row, KEY, age_tolerance=1))
    return found.get(0, set())


@pytest.mark.parametrize(
    "variant",
    [
        "John Michael Smith",  # an added middle name
        "John Smith Jr.",  # a suffix
        "Smith, John",  # swapped order
        "John Smith III",
    ],
)
def test_added_words_and_order_keep_the_name_and_date_of_birth(variant: str) -> None:
    stored = {"full_name": "John Smith", "date_of_birth": DOB}
    assert fields(stored, {"full_name": variant, "date_of_birth": DOB}) == {
        "name",
        "date_of_birth",
    }


def test_a_patronymic_and_another_transliteration_still_match() -> None:
    stored = {"full_name": "Олександр Петренко", "date_of_birth": DOB}
    row = {"full_name": "Petrenko Oleksandr Ivanovych", "date_of_birth": DOB}
    assert fields(stored, row) == {"name", "date_of_birth"}


def test_a_typo_matches_partly_and_only_with_the_date_of_birth() -> None:
    stored = {"full_name": "Robert Bonneau", "date_of_birth": DOB}
    assert fields(stored, {"full_name": "Robert Bonnemu", "date_of_birth": DOB}) == {
        "name_part",
        "date_of_birth",
    }
    aged = {"full_name": "Robert Bonneau", "age_range": {"min": 40, "max": 40}}
    assert fields(aged, {"full_name": "Robert Bonnemu", "age_range": {"min": 40, "max": 40}}) == (
        set()
    )


def test_an_age_one_year_apart_agrees_with_the_name() -> None:
    stored = {"full_name": "Maria Rossi", "age_range": {"min": 30, "max": 30}}
    row = {"full_name": "Rossi Maria", "age_range": {"min": 31, "max": 31}}
    assert fields(stored, row) == {"name", "age"}
    row["age_range"] = {"min": 33, "max": 33}
    assert fields(stored, row) == set()


def test_a_date_of_birth_or_an_age_never_matches_without_a_name() -> None:
    stored = {
        "full_name": "Maria Rossi",
        "date_of_birth": DOB,
        "age_range": {"min": 30, "max": 30},
    }
    row = {"full_name": "Olena Kovalenko", "date_of_birth": DOB, "age_range": {"min": 30}}
    assert fields(stored, row) == set()
    assert duplicates.matched_fields([Kind.DATE_OF_BIRTH, Kind.AGE]) == set()
    assert duplicates.matched_fields([Kind.NAME_HALF, Kind.AGE]) == set()
    assert duplicates.matched_fields([Kind.NAME_KEY]) == set()  # a name alone
    assert duplicates.matched_fields([Kind.DOCUMENT, Kind.AGE]) == {"documents", "age"}


def test_distinct_persons_sharing_a_first_name_and_birth_date_do_not_match() -> None:
    stored = {"full_name": "Mohammed Ali", "date_of_birth": DOB}
    assert fields(stored, {"full_name": "Mohammed Yusuf", "date_of_birth": DOB}) == set()


def test_half_keys_pair_each_word_with_the_initials_of_the_others() -> None:
    assert translit.name_halves(["smt", "jn"]) == {"jn s", "smt j"}
    assert translit.name_halves(["mhmd"]) == set()
    assert len(translit.name_halves([f"{c}x" for c in "abcdefghijkl"])) == 5 * 4


def test_only_narrow_age_ranges_are_indexed() -> None:
    assert age_years({"min": 30, "max": 31}) == [30, 31]
    assert age_years({"min": 30, "max": 31}, tolerance=1) == [29, 30, 31, 32]
    assert age_years({"min": 20, "max": 40}) == []
    assert age_years({"min": None, "max": None}) == []
    assert age_years({"max": 0}, tolerance=1) == [0, 1]


@pytest.mark.django_db
def test_the_duplicate_check_finds_a_person_recorded_with_a_middle_name_and_suffix(
    cast: SimpleNamespace,
) -> None:
    person = actions.create_person(
        None, cast.acme, full_name="Ahmad Karim Haddad Jr.", date_of_birth=DOB
    )
    kinds = set(person.index_values.values_list("kind", flat=True))
    assert kinds == {Kind.NAME, Kind.NAME_KEY, Kind.NAME_HALF, Kind.DATE_OF_BIRTH}
    check = actions.check_duplicates(None, cast.acme, name="Haddad Ahmad", dob=DOB)
    assert check.codes == [person.code]
    assert actions.check_duplicates(None, cast.acme, name="Haddad Omar", dob=DOB).codes == []
