"""The results a grantee reports, as structured values a results framework can read later.

A report's ``results`` is a JSON list; each item is one value of one indicator, optionally for
one group of people (a disaggregation)::

    [{"indicator": "people_trained", "value": 42, "unit": "people",
      "disaggregation": {"sex": "female", "age": "18-29"}},
     {"indicator": "cases_documented", "value": 17, "unit": "cases"}]

* ``indicator``: a code of the programme's results framework (lower-case letters, digits,
  ``_ . -``, at most 60 characters);
* ``value``: a number ≥ 0 (a count, an amount, a percentage: the unit says which);
* ``unit``: what the value counts (at most 40 characters);
* ``disaggregation`` (optional): ``sex`` (one of :data:`SEXES`), ``age`` (a band such as
  ``18-29`` or ``60+``), ``disability`` (``yes``/``no``/``unknown``), ``location`` and ``group``
  (free text, at most 80 characters); no other key;
* ``note`` (optional): at most 500 characters.

The same indicator may appear once per distinct disaggregation. :func:`json_schema` is the
JSON Schema of one item (the API publishes it), :func:`validate_results` the model's validator.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticError

#: at most this many values in one report
MAX_RESULTS = 500
SEXES = ("female", "male", "other", "unknown")
AGE = re.compile(r"^(\d{1,3}-\d{1,3}|\d{1,3}\+)$")


class Disaggregation(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    sex: Literal["female", "male", "other", "unknown"] | None = None
    age: str | None = Field(None, pattern=AGE.pattern, max_length=7)
    disability: Literal["yes", "no", "unknown"] | None = None
    location: str | None = Field(None, min_length=1, max_length=80)
    group: str | None = Field(None, min_length=1, max_length=80)


class Result(BaseModel):
    model_config = ConfigDict(extra="forbid")

    indicator: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]{0,59}$")
    value: Decimal = Field(ge=0, max_digits=18, decimal_places=4)
    unit: str = Field(min_length=1, max_length=40)
    disaggregation: Disaggregation | None = None
    note: str = Field("", max_length=500)


def json_schema() -> dict[str, Any]:
    return Result.model_json_schema()


def _key(item: Result) -> tuple[str, tuple[tuple[str, str], ...]]:
    groups = item.disaggregation.model_dump(exclude_none=True) if item.disaggregation else {}
    return item.indicator, tuple(sorted(groups.items()))


def clean_results(value: Any) -> list[dict[str, Any]]:
    """The results normalised (numbers as strings, empty keys dropped); a ``ValidationError``
    naming the item and the field otherwise."""
    if not isinstance(value, list):
        raise ValidationError(_("Give the results as a list."))
    if len(value) > MAX_RESULTS:
        raise ValidationError(_("At most %(n)s results.") % {"n": MAX_RESULTS})
    cleaned, seen = [], set()
    for number, raw in enumerate(value, start=1):
        if isinstance(raw, dict) and isinstance(raw.get("value"), bool):
            raw = {**raw, "value": "not a number"}  # true/false is no value
        try:
            item = Result.model_validate(raw)
        except PydanticError as exc:
            error = exc.errors()[0]
            where = ".".join(str(part) for part in error["loc"]) or "item"
            raise ValidationError(
                _("Result %(n)s, %(field)s: %(reason)s")
                % {"n": number, "field": where, "reason": error["msg"]}
            ) from exc
        if _key(item) in seen:
            raise ValidationError(
                _("Result %(n)s repeats the indicator %(code)s for the same group.")
                % {"n": number, "code": item.indicator}
            )
        seen.add(_key(item))
        cleaned.append(item.model_dump(mode="json", exclude_none=True, exclude_defaults=True))
    return cleaned


def validate_results(value: Any) -> None:
    clean_results(value)
