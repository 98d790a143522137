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


def test_a_typo_late_in_a_word_matches_most_of_the_name_with_a_date_or_an_age() -> None:
    stored = {"full_name": "Robert Bonneau", "date_of_birth": DOB}
    assert fields(stored, {"full_name": "Robert Bonnemu", "date_of_birth": DOB}) == {
        "name_close",
        "date_of_birth",
    }
    aged = {"full_name": "Harriet Flynn", "age_range": {"min": 40, "max": 40}}
    assert fields(aged, {"full_name": "Harriet Flymn", "age_range": {"min": 41, "max": 41}}) == {
        "name_close",
        "age",
    }


def test_a_typo_early_in_a_word_matches_partly_and_only_with_the_date_of_birth() -> None:
    stored = {"full_name": "Robert Bonneau", "date_of_birth": DOB}
    assert fields(stored, {"full_name": "Robert Boxneau", "date_of_birth": DOB}) == {
        "name_part",
        "date_of_birth",
    }
    aged = {"full_name": "Robert Bonneau", "age_range": {"min": 40, "max": 40}}
    assert fields(aged, {"full_name": "Robert Boxneau", "age_range": {"min": 40, "max": 40}}) == (
        set()
    )


@pytest.mark.parametrize(
    ("stored", "variant"),
    [
        ("Вероника Панова", "Weronika Panova"),  # German w for в
        ("Павлова Ирина", "Irina Pawlowa"),
        ("Юсуф Аль-Масри", "Youssef Al-Masri"),  # Arabic-style vowels still drop
        ("Philippe Schneider", "Filip Shnaider"),  # ph/f, sch/sh, doubled letters
    ],
)
def test_transliteration_conventions_share_the_name_key(stored: str, variant: str) -> None:
    assert translit.name_key(stored) == translit.name_key(variant)


def test_a_w_or_v_spelling_matches_the_whole_name_with_an_age() -> None:
    stored = {"full_name": "Вероника Панова", "age_range": {"min": 22, "max": 22}}
    row = {"full_name": "Panova Weronika", "age_range": {"min": 22, "max": 22}}
    assert fields(stored, row) == {"name", "age"}


def test_prefix_keys_pair_each_word_with_the_first_two_letters_of_the_others() -> None:
    assert translit.name_prefixes(["smt", "jn"]) == {"jn sm", "smt jn"}
    assert translit.name_prefixes(["m", "jn"]) == {"m jn"}  # a one-letter word gives no prefix
    assert translit.name_prefixes(["mhmd"]) == set()


def test_a_prefix_key_alone_is_not_a_name() -> None:
    assert duplicates.matched_fields([Kind.NAME_PREFIX, Kind.DATE_OF_BIRTH]) == set()
    assert duplicates.matched_fields([Kind.NAME_HALF, Kind.NAME_PREFIX, Kind.AGE]) == {
        "name_close",
        "age",
    }


def test_twins_sharing_a_surname_and_an_age_do_not_match() -> None:
    stored = {"full_name": "Ross Turner", "age_range": {"min": 40, "max": 40}}
    assert fields(stored, {"full_name": "Roy Turner", "age_range": {"min": 40, "max": 40}}) == (
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
    assert kinds == {Kind.NAME, Kind.NAME_KEY, Kind.NAME_HALF, Kind.NAME_PREFIX, Kind.DATE_OF_BIRTH}
    check = actions.check_duplicates(None, cast.acme, name="Haddad Ahmad", dob=DOB)
    assert check.codes == [person.code]
    assert actions.check_duplicates(None, cast.acme, name="Haddad Omar", dob=DOB).codes == []
