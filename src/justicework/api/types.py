"""Input types for every API schema and parameter: bounded, strict, and named once.

* :data:`Id` — an object id in a path, query or body: an integer in ``1..2**63-1`` (the range of
  a database key), so an oversized number is a 422 naming the field, never an ``OverflowError``.
* :class:`InputSchema` — the base class of every request body schema. Before pydantic's own
  (lax) validation it refuses, naming the field: ``true``/``false`` where a number or an id is
  expected (and anything but ``true``/``false`` for a yes/no field); a number where a date or a
  date-time is expected, and a date that is not written
  ``YYYY-MM-DD``; an integer outside the 64-bit range; a NUL character (``\\x00``) in any
  string, in lists and nested objects too (SQLite cuts text at NUL, PostgreSQL refuses it).
* :data:`Date` — a ``YYYY-MM-DD`` date in a query (``?date_to=5.99e-38`` is not a date).
* :func:`choices` — an enum of a model's choices under its own OpenAPI name (``PersonRole``,
  ``OrganisationRole``, …): two ``TextChoices`` classes both called ``Role`` would otherwise
  share one schema name, and the document would describe one of them wrongly.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import types
from decimal import Decimal
from typing import Annotated, Any, Union, get_args, get_origin

from django.db import models
from ninja import Schema
from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)

MAX_INT = 2**63 - 1
MIN_INT = -(2**63)
#: Lists in request bodies: at most this many items unless the schema says fewer.
MAX_ITEMS = 1000

Id = Annotated[int, Field(ge=1, le=MAX_INT)]
#: A short string (an item of a list of names, aliases, languages, contacts).
Short = Annotated[str, Field(max_length=300)]

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
NUL_MESSAGE = "NUL characters (\\x00) are not allowed."


def _iso_date(value: Any) -> Any:
    if isinstance(value, str) and not _DATE.fullmatch(value):
        raise ValueError("Expected a date (YYYY-MM-DD).")
    if isinstance(value, bool | int | float):
        raise ValueError("Expected a date (YYYY-MM-DD), not a number.")
    return value


def _no_nul(value: Any) -> Any:
    if isinstance(value, str) and "\x00" in value:
        raise ValueError(NUL_MESSAGE)
    return value


#: A date in a query string or a path.
Date = Annotated[dt.date, BeforeValidator(_iso_date)]
#: A string in a query string (bodies get the same check from :class:`InputSchema`).
QueryText = Annotated[str, AfterValidator(_no_nul), Field(max_length=200)]


def _decimal_schema(digits: int) -> dict[str, Any]:
    """A decimal as JSON: a number, or its text (bounded, like every string of a body)."""
    text = {"type": "string", "maxLength": digits + 2, "pattern": r"^-?\d+(\.\d+)?$"}
    return {"anyOf": [{"type": "number"}, text]}


#: an amount of money in major units (two decimals), as the grants models keep it
Money = Annotated[
    Decimal, Field(max_digits=14, decimal_places=2), WithJsonSchema(_decimal_schema(14))
]
#: an exchange rate (eight decimals)
Rate = Annotated[
    Decimal, Field(max_digits=18, decimal_places=8), WithJsonSchema(_decimal_schema(18))
]


def choices(name: str, model_choices: type[models.TextChoices]) -> type[enum.StrEnum]:
    """``model_choices`` as a ``StrEnum`` called ``name`` (the same values)."""
    members = {member.name: str(member.value) for member in model_choices}
    return enum.StrEnum(name, members)  # type: ignore[return-value]


# --- The strict check of request bodies ----------------------------------------------------------


def _flat(annotation: Any) -> list[Any]:
    """The alternatives of ``annotation`` (``X | None``, ``Annotated[X, ...]``, ``Optional``)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _flat(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return [alt for arg in get_args(annotation) for alt in _flat(arg)]
    return [annotation]


def _scalar(annotation: Any) -> set[type]:
    return {alt for alt in _flat(annotation) if isinstance(alt, type)}


def _items(annotation: Any) -> Any:
    """The item type when ``annotation`` admits a list, else ``None``."""
    for alt in _flat(annotation):
        if get_origin(alt) is list:
            args = get_args(alt)
            return args[0] if args else Any
    return None


def _check_text(kinds: set[type], dated: bool, value: str) -> None:
    _no_nul(value)
    if dated and dt.datetime not in kinds and not _DATE.fullmatch(value):
        raise ValueError("Expected a date (YYYY-MM-DD).")
    if dated and _NUMBER.fullmatch(value.strip()):
        raise ValueError("Expected a date and time (ISO 8601), not a number.")


def _check_number(kinds: set[type], dated: bool, value: bool | int | float) -> None:
    numeric = bool(kinds & {int, float}) and bool not in kinds
    if isinstance(value, bool):
        if numeric:
            raise ValueError("Expected a number, not true or false.")
        if dated:
            raise ValueError("Expected a date, not true or false.")
        return
    if dated:
        raise ValueError("Expected a date (YYYY-MM-DD), not a number.")
    if isinstance(value, int) and not MIN_INT <= value <= MAX_INT:
        raise ValueError("The number is out of range.")


def _check_container(annotation: Any, value: list[Any] | dict[Any, Any]) -> None:
    if isinstance(value, list):
        item = _items(annotation)
        for index, element in enumerate(value):
            try:
                check_value(item if item is not None else Any, element)
            except ValueError as exc:
                raise ValueError(f"Item {index}: {exc}") from None
        return
    for key, element in value.items():
        _no_nul(key)
        if isinstance(element, str | list | dict):
            check_value(Any, element)


def check_value(annotation: Any, value: Any) -> None:
    """Raise ``ValueError`` (the reason) when ``value`` does not strictly fit ``annotation``."""
    kinds = _scalar(annotation)
    if any(issubclass(kind, InputSchema) for kind in kinds):
        return  # a nested request schema checks its own fields, naming them
    if bool in kinds and kinds <= {bool, type(None)} and not isinstance(value, bool | None):
        raise ValueError("Expected true or false.")
    dated = bool(kinds & {dt.date, dt.datetime}) and not (kinds & {str, int, float})
    if isinstance(value, str):
        _check_text(kinds, dated, value)
    elif isinstance(value, bool | int | float):
        _check_number(kinds, dated, value)
    elif isinstance(value, list | dict):
        _check_container(annotation, value)


class InputSchema(Schema):
    """Base of every request body schema: strict types and no NUL (see the module doc)."""

    @field_validator("*", mode="before")
    @classmethod
    def _strict(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields.get(info.field_name or "")
        check_value(field.annotation if field is not None else Any, value)
        return value
