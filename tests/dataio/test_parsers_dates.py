"""Date and date-time cell parsers: ISO first, then the schema's own formats, else a reason."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from justicework.dataio import parsers


@given(st.dates(min_value=dt.date(1000, 1, 1)))
def test_an_iso_date_round_trips(day: dt.date) -> None:
    assert parsers.date()(day.isoformat()) == day


def test_an_iso_shaped_date_that_does_not_exist_is_named_not_real() -> None:
    with pytest.raises(ValueError, match=r"'2023-02-30' is not a real date"):
        parsers.date()("2023-02-30")


def test_the_date_part_of_an_iso_date_time_is_taken() -> None:
    assert parsers.date()("2024-03-01T23:30:00Z") == dt.date(2024, 3, 1)
    assert parsers.date()("2024-03-01 08:15") == dt.date(2024, 3, 1)


def test_a_schema_format_is_tried_after_iso() -> None:
    parse = parsers.date(("%d/%m/%Y", "%d.%m.%Y"))
    assert parse("01/03/2024") == dt.date(2024, 3, 1)
    assert parse("02.03.2024") == dt.date(2024, 3, 2)


def test_a_date_in_no_known_format_lists_the_expected_formats() -> None:
    with pytest.raises(ValueError) as caught:
        parsers.date(("%d/%m/%Y",))("March 1st")
    message = str(caught.value)
    assert "'March 1st' is not a date" in message
    assert "YYYY-MM-DD, %d/%m/%Y" in message


def test_an_iso_shaped_date_time_that_does_not_exist_falls_through_to_a_clear_error() -> None:
    with pytest.raises(ValueError, match="is not a date"):
        parsers.date()("2024-13-01T10:00")


def test_a_naive_date_time_is_taken_as_utc() -> None:
    parsed = parsers.datetime()("2024-03-01T10:20:30")
    assert parsed == dt.datetime(2024, 3, 1, 10, 20, 30, tzinfo=dt.UTC)


def test_a_z_suffix_and_an_offset_are_kept_as_the_same_instant() -> None:
    parse = parsers.datetime()
    assert parse("2024-03-01T10:00:00Z") == parse("2024-03-01T12:00:00+02:00")
    assert parse("2024-03-01T12:00:00+02:00").utcoffset() == dt.timedelta(hours=2)


def test_a_date_time_in_a_schema_format_is_made_aware() -> None:
    parsed = parsers.datetime(("%d/%m/%Y %H:%M",))("01/03/2024 10:20")
    assert parsed == dt.datetime(2024, 3, 1, 10, 20, tzinfo=dt.UTC)


def test_a_date_time_in_no_format_says_iso_8601_is_expected() -> None:
    with pytest.raises(ValueError, match=r"'yesterday' is not a date and time \(expected ISO"):
        parsers.datetime(("%d/%m/%Y %H:%M",))("yesterday")
