"""The date rule (``violations.dates``) and its three callers: model, forms, importer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from justicework.dataio import parsers
from justicework.dataio.schema import ParsedRow
from justicework.violations.dates import DatePrecision, date_problems, parse_partial
from justicework.violations.forms import IncidentForm, ViolationForm
from justicework.violations.io import ViolationSchema
from justicework.violations.models import Incident, Location, Person, Unit

D = dt.date
TODAY = timezone.localdate()
TOMORROW = TODAY + dt.timedelta(days=2)  # still in the future if the run crosses midnight

dates = st.one_of(st.none(), st.dates(D(1990, 1, 1), TODAY + dt.timedelta(days=400)))
precisions = st.sampled_from([p.value for p in DatePrecision])


def test_a_known_date_needs_a_start():
    assert date_problems(None, None, DatePrecision.DAY) == {
        "start_date": "A start date is needed unless the date is unknown."
    }
    assert date_problems(None, None, DatePrecision.UNKNOWN) == {}


def test_a_range_needs_its_end_and_the_end_follows_the_start():
    assert date_problems(D(2023, 1, 2), None, DatePrecision.RANGE) == {
        "end_date": "A date range needs an end date."
    }
    assert date_problems(D(2023, 1, 2), D(2023, 1, 1), DatePrecision.RANGE) == {
        "end_date": "The end date is before the start date."
    }
    assert date_problems(D(2023, 1, 2), D(2023, 1, 2), DatePrecision.RANGE) == {}


def test_a_start_in_the_future_is_refused_even_when_the_precision_is_unknown():
    for precision in (DatePrecision.DAY, DatePrecision.UNKNOWN):
        assert date_problems(TOMORROW, None, precision) == {
            "start_date": "The start date is in the future."
        }
    assert date_problems(timezone.localdate(), None, DatePrecision.DAY) == {}


def test_an_inheriting_record_needs_a_start_only_with_an_end():
    assert date_problems(None, None, DatePrecision.RANGE, inherits=True) == {}
    assert date_problems(None, D(2023, 1, 1), DatePrecision.DAY, inherits=True) == {
        "start_date": "A start date is needed with an end date."
    }


@given(start=dates, end=dates, precision=precisions, inherits=st.booleans())
def test_the_rule_names_only_date_fields_and_accepts_ordered_past_dates(
    start, end, precision, inherits
):
    problems = date_problems(start, end, precision, inherits=inherits)
    assert set(problems) <= {"start_date", "end_date"}
    if start is not None and end is not None and end < start:
        assert "end_date" in problems
    if start is not None and start > timezone.localdate():
        assert "start_date" in problems
    ordered = start is not None and start <= timezone.localdate() and (end is None or end >= start)
    if ordered and (precision != DatePrecision.RANGE or end is not None):
        assert problems == {}


@given(year=st.integers(1900, TODAY.year), month=st.integers(1, 12))
def test_partial_dates_are_read_as_the_first_day_of_their_period(year, month):
    exact = parsers.date(())
    assert parse_partial(f"{year}", exact) == (D(year, 1, 1), DatePrecision.YEAR)
    assert parse_partial(f"{year}-{month:02d}", exact) == (D(year, month, 1), "month")


def test_partial_dates_refuse_a_month_that_does_not_exist_and_a_future_day():
    exact = parsers.date(())
    with pytest.raises(ValueError, match="not a real month"):
        parse_partial("2023-13", exact)
    with pytest.raises(ValueError, match="in the future"):
        parse_partial(TOMORROW.isoformat(), exact)


def _iso(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _model_verdict(start, end, precision) -> dict[str, list[str]]:
    incident = Incident(start_date=start, end_date=end, date_precision=precision)
    try:
        incident.clean_dates()
    except ValidationError as exc:
        return exc.message_dict
    return {}


def _form_verdict(form) -> dict[str, list[str]]:
    form.is_valid()
    return {k: v for k, v in form.errors.items() if k in {"start_date", "end_date"}}


@settings(max_examples=60, deadline=None)
@given(start=dates, end=dates, precision=precisions)
def test_model_and_incident_form_give_the_rules_verdict(start, end, precision):
    data = {"start_date": _iso(start), "end_date": _iso(end), "date_precision": precision}
    rule = {k: [v] for k, v in date_problems(start, end, precision).items()}
    assert _model_verdict(start, end, precision) == rule
    assert _form_verdict(IncidentForm(data=data, with_place=False)) == rule


@pytest.mark.django_db
@settings(max_examples=40, deadline=None)
@given(start=dates, end=dates, precision=st.sampled_from(["day", "month", "year", None]))
def test_violation_form_and_importer_give_the_rules_verdict(start, end, precision):
    """A violation without dates takes its incident's: the form and an imported row agree."""
    given_precision = DatePrecision.RANGE if end else precision or DatePrecision.DAY
    rule = date_problems(start, end, given_precision, inherits=True)
    form = ViolationForm(
        data={
            "type": "",
            "start_date": _iso(start),
            "end_date": _iso(end),
            "date_precision": given_precision,
        },
        locations=Location.objects.none(),
        persons=Person.objects.none(),
        units=Unit.objects.none(),
    )
    assert _form_verdict(form) == {k: [v] for k, v in rule.items()}
    values = {"date": (start, precision or DatePrecision.DAY) if start else None, "end_date": end}
    found = ViolationSchema._date_problems(ParsedRow(number=2, key_hash="", values=values))
    column = {"start_date": "date", "end_date": "end_date"}
    assert {(p.column, p.reason) for p in found} == {(column[k], v) for k, v in rule.items()}
