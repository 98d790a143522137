"""The violations template helpers: fuzzy dates read as ISO 8601 at their precision in every UI
language, and vocabulary labels fall back to the code."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from justicework.violations import vocabularies
from justicework.violations.templatetags.violations_ui import (
    country_name,
    fuzzy_date,
    iso_date,
    vocab,
)

LANGUAGES = ["en", "ar", "es", "fr", "ru"]
dates = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))


def dated(**fields: object) -> SimpleNamespace:
    fields.setdefault("date_precision", "day")
    fields.setdefault("end_date", None)
    return SimpleNamespace(**fields)


@given(start=dates, precision=st.sampled_from(["day", "month", "year"]))
def test_a_single_date_is_its_iso_form_cut_at_its_precision(start: dt.date, precision: str) -> None:
    shown = fuzzy_date(dated(start_date=start, date_precision=precision))
    length = {"day": 10, "month": 7, "year": 4}[precision]
    assert shown == start.isoformat()[:length]


@given(start=dates, end=dates)
def test_a_range_shows_both_days_in_order_given(start: dt.date, end: dt.date) -> None:
    shown = fuzzy_date(dated(start_date=start, end_date=end, date_precision="range"))
    assert shown == f"{start.isoformat()} to {end.isoformat()}"


def test_different_end_day_makes_a_range_whatever_the_precision() -> None:
    obj = dated(start_date=dt.date(2024, 3, 1), end_date=dt.date(2024, 3, 5), date_precision="day")
    assert fuzzy_date(obj) == "2024-03-01 to 2024-03-05"
    same = dated(start_date=dt.date(2024, 3, 1), end_date=dt.date(2024, 3, 1))
    assert fuzzy_date(same) == "2024-03-01"
    open_range = dated(start_date=dt.date(2024, 3, 1), date_precision="range")
    assert fuzzy_date(open_range) == "2024-03-01 to …"


@pytest.mark.parametrize("language", LANGUAGES)
def test_unknown_and_approximate_dates_are_worded_in_the_ui_language(language: str) -> None:
    approximate = dated(start_date=dt.date(2024, 3, 1), date_precision="month")
    approximate.date_approximate = True
    with translation.override(language):
        unknown = fuzzy_date(dated(start_date=dt.date(2024, 3, 1), date_precision="unknown"))
        missing = fuzzy_date(dated(start_date=None))
        about = fuzzy_date(approximate)
    assert unknown == missing != ""
    assert "2024-03" in about and about != "2024-03"
    if language == "en":
        assert (unknown, about) == ("date unknown", "about 2024-03")
    else:
        assert unknown != "date unknown", f"{language}: 'date unknown' is not translated"


def test_vocab_gives_the_label_and_falls_back_to_the_code() -> None:
    with translation.override("fr"):
        assert vocab("torture", "violation_types") == vocabularies.label(
            "violation_types", "torture", "fr"
        )
    assert vocab("no_such_code", "violation_types") == "no_such_code"
    assert vocab(None, "violation_types") == vocab("", "violation_types") == ""


def test_empty_country_and_date_render_as_nothing() -> None:
    assert country_name(None) == country_name("") == ""
    assert iso_date(None) == ""
    assert iso_date(dt.date(2024, 3, 1)) == "2024-03-01"
