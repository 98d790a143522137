"""Helpers every action module shares: the policy check, the settable fields of each model,
audit snapshots, validated assignment and the acting user as stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.core import policy
from justicework.core.models import User

INCIDENT_FIELDS = frozenset(
    {
        "title",
        "description",
        "country",
        "context",
        "external_ref",
        "sensitivity",
        "start_date",
        "end_date",
        "date_precision",
        "date_approximate",
    }
)
LOCATION_FIELDS = frozenset(
    {"country", "subdivision", "place_name", "latitude", "longitude", "precision"}
)
VIOLATION_FIELDS = frozenset(
    {
        "type",
        "method",
        "location",
        "victim_group",
        "description",
        "consequences",
        "victim_age",
        "victim_outcome",
        "start_date",
        "end_date",
        "date_precision",
        "date_approximate",
    }
)
UNIT_FIELDS = frozenset({"name", "kind", "parent", "country", "aliases", "description"})
SOURCE_FIELDS = frozenset(
    {
        "kind",
        "title",
        "description",
        "reliability",
        "credibility",
        "language",
        "date",
        "url",
        "person",
    }
)
GROUP_FIELDS = frozenset({"kind", "description", "number_of_persons"})
COMMANDER_FIELDS = frozenset({"title", "start_date", "end_date"})


def require(actor: User | None, action: str, obj: Any) -> None:
    """Policy check; ``actor=None`` is the system (demo, commands) and is not checked."""
    if actor is not None:
        policy.require(actor, action, obj)


def check_fields(changes: Mapping[str, Any], allowed: frozenset[str]) -> None:
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in unknown})


def snapshot(obj: Model, fields: Iterable[str]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        value = getattr(obj, field.attname)  # type: ignore[union-attr]  # concrete fields only
        if isinstance(value, dt.date):
            value = value.isoformat()
        result[name] = value
    return result


def same_org(obj: Any, organisation_id: int, field: str) -> None:
    if obj is not None and obj.organisation_id != organisation_id:
        raise ValidationError({field: _("This record belongs to another organisation.")})


def apply_changes(obj: Model, changes: Mapping[str, Any], validate: Callable[[], None]) -> None:
    """Set ``changes`` on ``obj`` and validate; on a validation error put the old values back,
    so the caller's object is left as it was (nothing was written)."""
    old = {name: getattr(obj, name) for name in changes}
    old_extra = {
        name: getattr(obj, name) for name in ("country", "subdivision") if hasattr(obj, name)
    }
    for name, value in changes.items():
        setattr(obj, name, value)
    try:
        validate()
    except ValidationError:
        for name, value in {**old_extra, **old}.items():
            setattr(obj, name, value)
        raise


def touch(obj: Any) -> None:
    obj.updated_at = timezone.now()


def actor_or_none(actor: User | None) -> User | None:
    return actor if actor is not None and actor.is_authenticated else None
