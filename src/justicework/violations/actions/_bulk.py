"""What the bulk actions share: their row errors, the tuple a created person is returned as,
look-ups of the records rows name, and the models they write through ``core.bulk``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any, NamedTuple

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db.models import CharField, Field, Model, TextField

from justicework.core import bulk
from justicework.violations.models import (
    Incident,
    Location,
    Perpetration,
    Person,
    PersonIndex,
    PersonRole,
    Unit,
    Violation,
)


class BulkRowErrors(ValidationError):
    """Row-level errors of a bulk write; nothing was written. ``rows`` is a list of
    ``(row index, field, message)``; ``message_dict`` keys read ``"<row>.<field>"``."""

    def __init__(self, rows: list[tuple[int, str, str]]) -> None:
        self.rows = rows
        grouped: dict[str, list[str]] = {}
        for index, field, message in rows:
            grouped.setdefault(f"{index}.{field}", []).append(message)
        super().__init__(grouped)


class NewPerson(NamedTuple):
    """A person :func:`bulk_create_persons` created, when the caller needs no instance
    (``instances=False``); :func:`bulk_create_violations` takes it as a victim."""

    pk: int
    code: str
    organisation_id: int


def resolve(
    rows: Sequence[Mapping[str, Any]],
    key: str,
    model: type[Model],
    organisation_id: int,
    by: str,
) -> dict[Any, Any]:
    """Load the objects ``rows`` name under ``key`` (instances or ``by`` values) in one query."""
    wanted = {
        row[key]
        for row in rows
        if row.get(key) not in (None, "") and not isinstance(row[key], Model | NewPerson)
    }
    found: dict[Any, Any] = {}
    if wanted:
        queryset = model._default_manager.filter(
            organisation_id=organisation_id, **{f"{by}__in": sorted(wanted, key=str)}
        )
        found = {getattr(obj, by): obj for obj in queryset}
        if by == "pk":
            found.update({str(k): v for k, v in list(found.items())})
    return found


# What the bulk actions (and the scale generator) write through ``core.bulk``; the stamps are
# always set by the caller, so their callable defaults are never shared between rows.
_STAMPS = ("created_at", "updated_at")
bulk.writes(Violation, given=_STAMPS)
bulk.writes(Incident, given=_STAMPS)
bulk.writes(Person, given=_STAMPS)
bulk.writes(Location)
bulk.writes(Perpetration, given=("created_at",))
bulk.writes(PersonRole, given=("created_at",))
bulk.writes(PersonIndex)
bulk.writes(Unit, given=(*_STAMPS, "aliases"))


#: Value types whose cleaning depends on the value alone (plain fields: no instance, no query);
#: so does a text's, whatever ``str`` subclass it is (a choices member such as
#: ``DatePrecision.DAY``: the type is part of the memo's key).
_CLEAN_ONCE = frozenset({str, int, bool, type(None), dt.date})


@cache
def _fields_of(model: type[Model]) -> dict[str, Field[Any, Any]]:
    return {f.name: f for f in model._meta.concrete_fields}


#: What a plain text field checks of a ``str``: no choices, only its length and NUL validators.
_TextBound = tuple[bool, int | None]  # (blank allowed, max_length)


@cache
def _plan_of(model: type[Model]) -> dict[str, tuple[Field[Any, Any], _TextBound | None]]:
    """Each field of ``model`` by name, with its :func:`_text_bound`."""
    return {name: (field, _text_bound(field)) for name, field in _fields_of(model).items()}


def clean_given(
    obj: Model,
    given: Iterable[str],
    always: Iterable[str] = (),
    memo: dict[Any, Any] | None = None,
) -> None:
    """``clean_fields`` for the fields a bulk row sets (plus ``always``), then ``clean()``.
    ``memo`` (one dict per batch) remembers each field's valid plain values: a batch repeats
    its types, places and dates, and a plain field cleans a value the same way each time. A
    text that a plain text field would accept unchanged (:func:`_accepts_text`) is taken as it
    is; any other value, and every refusal, goes through ``field.clean`` (its messages)."""
    model = type(obj)
    plan = _plan_of(model)
    errors: dict[str, list[ValidationError]] = {}
    for name in {*always, *given}:
        field, bound = plan[name]
        value = getattr(obj, field.attname)
        if bound is not None and type(value) is str and _accepts_text(value, bound):
            continue
        key = (model, name, type(value), value)
        remember = memo is not None and (key[2] in _CLEAN_ONCE or isinstance(value, str))
        if remember and key in memo:  # type: ignore[operator]
            setattr(obj, field.attname, memo[key])  # type: ignore[index]
            continue
        try:
            result = field.clean(value, obj)
        except ValidationError as exc:
            errors[name] = exc.error_list
            continue
        setattr(obj, field.attname, result)
        if remember:
            memo[key] = result  # type: ignore[index]
    if errors:
        raise ValidationError(errors)
    obj.clean()


def _text_bound(field: Field[Any, Any]) -> _TextBound | None:
    """For a ``CharField``/``TextField`` (exactly those types) whose ``clean`` of a ``str`` is
    only its blank, length and NUL checks: ``(blank, max_length)``; otherwise None."""
    if type(field) not in (CharField, TextField) or field.choices or not field.editable:
        return None
    for validator in field.validators:
        if isinstance(validator, ProhibitNullCharactersValidator):
            continue
        if isinstance(validator, MaxLengthValidator) and validator.limit_value == field.max_length:
            continue
        return None
    return (field.blank, field.max_length)


def _accepts_text(value: str, bound: _TextBound) -> bool:
    """True when ``field.clean(value)`` would return ``value`` unchanged (False: ask it)."""
    blank, max_length = bound
    if not value:
        return blank
    return (max_length is None or len(value) <= max_length) and "\x00" not in value


def collect_errors(
    errors: list[tuple[int, str, str]], index: int, exc: ValidationError, prefix: str = ""
) -> None:
    if not hasattr(exc, "error_dict"):
        exc = ValidationError({NON_FIELD_ERRORS: exc.messages})
    for name, messages in exc.message_dict.items():
        errors.extend((index, prefix + name, message) for message in messages)
