"""What the bulk actions share: their row errors, the tuple a created person is returned as,
look-ups of the records rows name, and the models they write through ``core.bulk``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Model

from justicework.core import bulk
from justicework.violations.models import (
    Incident,
    Location,
    Perpetration,
    Person,
    PersonIndex,
    PersonRole,
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


def clean_given(obj: Model, given: Iterable[str], always: Iterable[str] = ()) -> None:
    """``clean_fields`` for the fields a bulk row sets (plus ``always``), then ``clean()``."""
    fields = {f.name: f for f in obj._meta.concrete_fields}
    errors: dict[str, list[ValidationError]] = {}
    for name in {*always, *given}:
        field = fields[name]
        try:
            setattr(obj, field.attname, field.clean(getattr(obj, field.attname), obj))
        except ValidationError as exc:
            errors[name] = exc.error_list
    if errors:
        raise ValidationError(errors)
    obj.clean()


def collect_errors(
    errors: list[tuple[int, str, str]], index: int, exc: ValidationError, prefix: str = ""
) -> None:
    if not hasattr(exc, "error_dict"):
        exc = ValidationError({NON_FIELD_ERRORS: exc.messages})
    for name, messages in exc.message_dict.items():
        errors.extend((index, prefix + name, message) for message in messages)
