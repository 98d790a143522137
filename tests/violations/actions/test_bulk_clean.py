"""``clean_given``'s short cuts accept and refuse exactly what ``field.clean`` does."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Field

from justicework.violations.actions._bulk import _plan_of, clean_given
from justicework.violations.dates import DatePrecision
from justicework.violations.models import Incident, Location, Violation

TEXTS = ["", " ", "Kharkiv", "Олена → محمد", "x" * 6, "x" * 7, "x" * 200, "x" * 201, "x" * 300,
         "x" * 301, "a\x00b", "\x00"]  # fmt: skip


def _outcome(clean: Any) -> tuple[str, Any]:
    try:
        return "ok", clean()
    except ValidationError as exc:
        return "refused", exc.messages


def _text_fields() -> list[tuple[type[Any], str]]:
    return [
        (model, name)
        for model in (Incident, Location, Violation)
        for name, (_field, bound) in _plan_of(model).items()
        if bound is not None
    ]


def test_the_short_cut_covers_the_plain_text_fields():
    names = {(model.__name__, name) for model, name in _text_fields()}
    assert {("Incident", "title"), ("Location", "place_name"), ("Violation", "description")} <= (
        names
    )
    assert ("Violation", "type") not in names  # a vocabulary validator: always asked


@pytest.mark.parametrize(("model", "name"), _text_fields())
def test_a_text_is_accepted_or_refused_as_field_clean_does(model, name):
    field: Field[Any, Any] = model._meta.get_field(name)
    for value in TEXTS:
        obj = model(**{name: value})
        obj.clean = lambda: None  # only the field's own checks
        expected = _outcome(lambda f=field, v=value, o=obj: f.clean(v, o))
        got = _outcome(lambda o=obj, v=value: (clean_given(o, [name], memo={}), v)[1])
        if got[0] == "ok":
            got = ("ok", getattr(obj, field.attname))
        assert got == expected, (model.__name__, name, value)


def test_a_choices_member_is_cleaned_once_per_batch(monkeypatch):
    field = Violation._meta.get_field("date_precision")
    calls: list[Any] = []
    original = type(field).clean

    def counted(self: Any, value: Any, obj: Any) -> Any:
        if self is field:
            calls.append(value)
        return original(self, value, obj)

    monkeypatch.setattr(type(field), "clean", counted)
    memo: dict[Any, Any] = {}
    for _ in range(3):
        violation = Violation(date_precision=DatePrecision.YEAR)
        violation.clean = lambda: None
        clean_given(violation, ["date_precision"], memo=memo)
        assert violation.date_precision == "year"
    assert calls == [DatePrecision.YEAR]
    bad = Violation(date_precision="weekly")
    bad.clean = lambda: None
    for _ in range(2):  # a refused value is never remembered: refused each time
        with pytest.raises(ValidationError) as refused:
            clean_given(bad, ["date_precision"], memo=memo)
        assert "date_precision" in refused.value.message_dict
