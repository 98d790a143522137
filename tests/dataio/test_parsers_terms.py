"""Text, yes/no, vocabulary, country and multi-value cell parsers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from justicework.dataio import parsers


def test_text_at_its_limit_passes_and_one_more_is_refused_with_both_lengths() -> None:
    parse = parsers.text(max_length=5)
    assert parse("abcde") == "abcde"
    with pytest.raises(ValueError, match="is 6 characters long; at most 5 are allowed"):
        parse("abcdef")


@given(st.text(max_size=50))
def test_text_without_a_limit_is_kept_as_given(value: str) -> None:
    assert parsers.text()(value) == value


@pytest.mark.parametrize("cell", ["yes", "YES", "Oui", "sí", "Да", "1", "true"])
def test_yes_in_several_languages_is_true(cell: str) -> None:
    assert parsers.boolean()(cell) is True


@pytest.mark.parametrize("cell", ["no", "N", "non", "\u041d\u0415\u0422", "0", "False"])
def test_no_in_several_languages_is_false(cell: str) -> None:
    assert parsers.boolean()(cell) is False


def test_a_cell_that_is_neither_yes_nor_no_is_refused() -> None:
    with pytest.raises(ValueError, match="'maybe' is not yes or no"):
        parsers.boolean()("maybe")


def test_a_vocabulary_term_matches_ignoring_case_accents_and_spacing() -> None:
    parse = parsers.choice({"killing": "KIL", "Exécution sommaire": "KIL", "torture": "TOR"})
    assert parse("KILLING") == "KIL"
    assert parse("execution   sommaire") == "KIL"
    assert parse("Torture") == "TOR"


def test_an_unknown_term_names_the_vocabulary_and_the_known_codes() -> None:
    parse = parsers.choice({"killing": "KIL", "torture": "TOR"}, what="violation type")
    with pytest.raises(ValueError) as caught:
        parse("arson")
    message = str(caught.value)
    assert "'arson' is not a known violation type term" in message
    assert "known: KIL, TOR" in message


def test_a_near_miss_is_refused_with_the_nearest_terms_best_first() -> None:
    parse = parsers.choice(
        {"killing": "killing", "Killing in an attack": "killing_in_attack", "torture": "torture"},
        what="type of act",
    )
    with pytest.raises(ValueError) as caught:
        parse("kiling")
    assert str(caught.value) == "'kiling' is not a known type of act term. Did you mean: killing?"
    with pytest.raises(ValueError, match=r"Did you mean: killing_in_attack, killing\?"):
        parse("killing in attack")
    with pytest.raises(ValueError, match="Did you mean: torture"):
        parse("tortures")


def test_underscores_count_as_spaces_so_a_code_can_be_written_in_words() -> None:
    parse = parsers.choice({"use_of_lethal_force": "use_of_lethal_force"})
    assert parse("Use of lethal force") == parse("use-of-lethal-force") == "use_of_lethal_force"


def test_a_long_vocabulary_is_cut_to_twelve_codes_in_the_refusal() -> None:
    terms = {f"term{i:02d}": f"C{i:02d}" for i in range(20)}
    with pytest.raises(ValueError) as caught:
        parsers.choice(terms)("nothing")
    message = str(caught.value)
    assert "C11 …" in message
    assert "C12" not in message
    assert "vocabulary term" in message


@pytest.mark.parametrize(
    ("cell", "code"),
    [("ua", "UA"), ("UKR", "UA"), ("Ukraine", "UA"), ("cod", "CD"), ("Georgia", "GE")],
)
def test_a_country_by_code_or_english_name_is_its_alpha_2_code(cell: str, code: str) -> None:
    assert parsers.country()(cell) == code


@pytest.mark.parametrize("cell", ["XX", "XYZ", "Atlantis"])
def test_an_unknown_country_is_refused_with_an_example_code(cell: str) -> None:
    with pytest.raises(ValueError, match="is not a country \\(use an ISO code such as UA\\)"):
        parsers.country()(cell)


def test_many_splits_on_spaces_by_default_and_parses_each_part() -> None:
    parse = parsers.many(parsers.integer())
    assert parse("1  2\t3") == [1, 2, 3]


def test_many_with_a_separator_strips_parts_and_skips_empty_ones() -> None:
    parse = parsers.many(parsers.country(), separator=";")
    assert parse("UA; ge;;") == ["UA", "GE"]


def test_many_lets_a_bad_part_refuse_the_whole_cell() -> None:
    with pytest.raises(ValueError, match="'x' is not a whole number"):
        parsers.many(parsers.integer())("1 x 3")
