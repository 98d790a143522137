"""The violations template helpers: fuzzy dates written as each UI language writes dates (the
month by its name), isolated for right-to-left pages; coordinates with a full stop, left to
right; vocabulary labels fall back to the code."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from justicework.violations import vocabularies
from justicework.violations.templatetags.violations_ui import (
    coordinates,
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


# One format per language, the month by its name (the same on every page).
EXAMPLES = {
    "en": ("14 May 2025", "May 2025", "about 14 May 2025"),
    "fr": ("14 mai 2025", "mai 2025", None),
    "es": ("14 de mayo de 2025", "mayo de 2025", None),
    "ru": ("14 мая 2025 г.", "Май 2025 г.", None),  # noqa: RUF001 (Cyrillic "year")
    "ar": ("14 مايو 2025", "مايو 2025", None),
}


def plain(shown: str) -> str:
    """The text inside the isolating ``<bdi>`` (which every fuzzy date has)."""
    assert shown.startswith("<bdi>") and shown.endswith("</bdi>"), shown
    return shown[len("<bdi>") : -len("</bdi>")]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_date_is_written_as_its_language_writes_it_at_its_precision(language: str) -> None:
    day, month, about = EXAMPLES[language]
    may = dt.date(2025, 5, 14)
    with translation.override(language):
        assert plain(fuzzy_date(dated(start_date=may))) == day
        assert plain(fuzzy_date(dated(start_date=may, date_precision="month"))) == month
        assert plain(fuzzy_date(dated(start_date=may, date_precision="year"))) == "2025"
        approximate = dated(start_date=may, date_approximate=True)
        shown = plain(fuzzy_date(approximate))
    assert day in shown and shown != day  # "about" in the language
    if about is not None:
        assert shown == about


@given(start=dates, precision=st.sampled_from(["day", "month", "year"]))
def test_every_date_keeps_its_year_and_day_at_its_precision(start: dt.date, precision: str) -> None:
    shown = plain(fuzzy_date(dated(start_date=start, date_precision=precision)))
    assert f"{start.year:04d}" in shown
    if precision == "day":
        assert shown.startswith(f"{start.day} ")
    else:
        assert str(start.day) not in shown.replace(f"{start.year:04d}", "")


@given(start=dates, end=dates)
def test_a_range_shows_both_days_in_order_given(start: dt.date, end: dt.date) -> None:
    shown = plain(fuzzy_date(dated(start_date=start, end_date=end, date_precision="range")))
    first, second = shown.split(" to ")
    assert first.startswith(f"{start.day} ") and first.endswith(f"{start.year:04d}")
    assert second.startswith(f"{end.day} ") and second.endswith(f"{end.year:04d}")


def test_different_end_day_makes_a_range_whatever_the_precision() -> None:
    obj = dated(start_date=dt.date(2024, 3, 1), end_date=dt.date(2024, 3, 5), date_precision="day")
    assert plain(fuzzy_date(obj)) == "1 March 2024 to 5 March 2024"
    same = dated(start_date=dt.date(2024, 3, 1), end_date=dt.date(2024, 3, 1))
    assert plain(fuzzy_date(same)) == "1 March 2024"
    open_range = dated(start_date=dt.date(2024, 3, 1), date_precision="range")
    assert plain(fuzzy_date(open_range)) == "1 March 2024 to …"


@pytest.mark.parametrize("language", LANGUAGES)
def test_unknown_dates_are_worded_in_the_ui_language(language: str) -> None:
    with translation.override(language):
        unknown = fuzzy_date(dated(start_date=dt.date(2024, 3, 1), date_precision="unknown"))
        missing = fuzzy_date(dated(start_date=None))
    assert unknown == missing != ""
    if language == "en":
        assert unknown == "date unknown"
    else:
        assert unknown != "date unknown", f"{language}: 'date unknown' is not translated"


@pytest.mark.parametrize(
    ("latitude", "longitude", "shown"),
    [(48.7389, 37.5844, "48.7389, 37.5844"), (-4.3, 15.25, "-4.3, 15.25"), (0.0, 1e-07, "0, 0")],
)
@pytest.mark.parametrize("language", LANGUAGES)
def test_coordinates_use_a_full_stop_and_stay_left_to_right(
    language: str, latitude: float, longitude: float, shown: str
) -> None:
    with translation.override(language):
        html = coordinates(SimpleNamespace(latitude=latitude, longitude=longitude))
    assert html == f'<span class="ltr">{shown}</span>'
    assert coordinates(SimpleNamespace(latitude=None, longitude=None)) == ""


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
