"""Number cell parsers: whole numbers (with spaces as thousands separators) and decimals, with
bounds; every refusal names the value and what was wrong."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from justicework.dataio import parsers


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_a_whole_number_round_trips(number: int) -> None:
    assert parsers.integer()(str(number)) == number


def test_spaces_and_no_break_spaces_are_thousands_separators() -> None:
    assert parsers.integer()("12 345") == 12345
    assert parsers.integer()("1\u00a0000") == 1000


def test_a_decimal_written_whole_is_a_whole_number() -> None:
    assert parsers.integer()("3.0") == 3
    assert parsers.integer()("1E3") == 1000


@pytest.mark.parametrize("cell", ["3.5", "three", "NaN", "Infinity", ""])
def test_a_value_that_is_not_whole_is_refused_by_name(cell: str) -> None:
    with pytest.raises(ValueError, match=r"is not a whole number"):
        parsers.integer()(cell)


def test_integer_bounds_are_inclusive_and_named_when_crossed() -> None:
    parse = parsers.integer(minimum=0, maximum=120)
    assert parse("0") == 0
    assert parse("120") == 120
    with pytest.raises(ValueError, match="-1 is below the minimum 0"):
        parse("-1")
    with pytest.raises(ValueError, match="121 is above the maximum 120"):
        parse("121")


def test_a_decimal_number_is_parsed() -> None:
    assert parsers.decimal_number()("50.4501") == pytest.approx(50.4501)


@pytest.mark.parametrize("cell", ["north", "nan", "inf", "-inf"])
def test_a_decimal_that_is_not_a_finite_number_is_refused(cell: str) -> None:
    with pytest.raises(ValueError, match="is not a number"):
        parsers.decimal_number()(cell)


def test_decimal_bounds_are_named_when_crossed() -> None:
    parse = parsers.decimal_number(minimum=-90, maximum=90)
    assert parse("90") == 90
    with pytest.raises(ValueError, match=r"-90\.5 is below the minimum -90"):
        parse("-90.5")
    with pytest.raises(ValueError, match=r"91\.0 is above the maximum 90"):
        parse("91")
