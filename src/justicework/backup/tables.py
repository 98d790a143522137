"""Database rows in an engine-independent form (a SQLite backup restores to PostgreSQL and back).

Every concrete table of every installed model (auto-created many-to-many tables too) is read
with plain SQL, column by column, so encrypted fields stay ciphertext (a model's
``from_db_value`` would decrypt them) and nothing is converted twice. Values are written as
JSON by the field's internal type: dates and times as ISO 8601 in UTC, binary as base64, JSON
as its text, UUIDs with dashes, booleans as ``true``/``false``. Restoring turns them back with
the target connection's own adapters and inserts them with plain SQL too: no ``save()``, no
signals, no ``auto_now``, ciphertext passed through as ciphertext.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import json
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection
from django.db.models import Field, Model
from django.utils.dateparse import parse_date, parse_datetime

#: Not backed up: derived from other rows (the search index, rebuilt on restore) or short-lived
#: (sessions: a restored instance signs everyone out).
SKIPPED = frozenset({"search.searchdocument", "sessions.session"})
#: Filled by ``migrate`` on every instance: replaced by the backup's rows on restore (their ids
#: are what the other tables point at).
SEEDED = frozenset({"contenttypes.contenttype", "auth.permission"})
BATCH = 2000


def models() -> list[type[Model]]:
    """Every model whose table is backed up, in a stable order."""
    found = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and model._meta.label_lower not in SKIPPED
    ]
    return sorted(found, key=lambda m: m._meta.label_lower)


def _kind(field: Field[Any, Any]) -> str:
    target = getattr(field, "target_field", None)
    if field.is_relation and target is not None:
        return _kind(target)
    return field.get_internal_type()


def columns(model: type[Model]) -> list[tuple[str, str]]:
    """(column, kind) of every concrete field, in field order."""
    return [(f.column, _kind(f)) for f in model._meta.concrete_fields]


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def encode(kind: str, raw: Any) -> Any:
    """A raw database value as JSON, the same whichever engine it came from."""
    if raw is None:
        return None
    if kind == "BinaryField":
        return base64.b64encode(bytes(raw)).decode("ascii")
    if kind == "DateTimeField":
        value = raw if isinstance(raw, dt.datetime) else parse_datetime(str(raw))
        if value is None:
            raise ValueError(f"not a date and time: {raw!r}")
        return _aware(value).astimezone(dt.UTC).isoformat()
    if kind == "DateField":
        return raw.isoformat() if isinstance(raw, dt.date) else str(raw)
    if kind == "BooleanField":
        return bool(raw)
    if kind == "UUIDField":
        return str(raw if isinstance(raw, uuid.UUID) else uuid.UUID(str(raw)))
    if kind == "JSONField":
        return raw if isinstance(raw, str) else json.dumps(raw)
    if kind in {"FloatField"}:
        return float(raw)
    if kind == "DecimalField":
        # Text, never a JSON number: a float would round money. SQLite may hand back a float
        # (NUMERIC affinity); its shortest repr is the value that was stored.
        if isinstance(raw, float):
            return repr(raw)
        if isinstance(raw, decimal.Decimal | int | str):
            return str(raw)
    if isinstance(raw, int | str):
        return raw
    raise ValueError(f"cannot back up a {kind} value of type {type(raw).__name__}")


def decoder(kind: str) -> Callable[[Any], Any] | None:
    """How a backed-up JSON value (not ``None``) of ``kind`` becomes a parameter for the target
    database; ``None`` when it is one already (numbers, text, ciphertext)."""
    ops = connection.ops
    if kind == "BinaryField":
        return lambda value: base64.b64decode(value, validate=True)
    if kind == "DateTimeField":
        return lambda value: ops.adapt_datetimefield_value(dt.datetime.fromisoformat(value))
    if kind == "DateField":
        return lambda value: ops.adapt_datefield_value(parse_date(value))
    if kind == "UUIDField":
        if connection.features.has_native_uuid_field:
            return uuid.UUID
        return lambda value: uuid.UUID(value).hex
    if kind == "JSONField":
        return lambda value: ops.adapt_json_value(json.loads(value), None)
    if kind == "DecimalField":
        return decimal.Decimal
    return None


def decode(kind: str, value: Any) -> Any:
    """A backed-up JSON value as a parameter for the target database."""
    convert = decoder(kind)
    return value if value is None or convert is None else convert(value)


def dump(model: type[Model]) -> Iterator[list[Any]]:
    """The model's rows, raw values encoded, in primary-key order, read in batches."""
    meta = model._meta
    quote = connection.ops.quote_name
    cols = columns(model)
    names = ", ".join(quote(c) for c, _k in cols)
    assert meta.pk is not None  # every concrete model has one
    pk = quote(meta.pk.column)
    table = quote(meta.db_table)
    base = f"SELECT {names} FROM {table}"  # noqa: S608 - quoted identifiers only
    position = next(i for i, (c, _k) in enumerate(cols) if c == meta.pk.column)
    last: Any = None
    with connection.cursor() as cursor:
        while True:
            if last is None:
                cursor.execute(f"{base} ORDER BY {pk} LIMIT {BATCH}")
            else:
                cursor.execute(f"{base} WHERE {pk} > %s ORDER BY {pk} LIMIT {BATCH}", [last])
            rows = cursor.fetchall()
            for row in rows:
                yield [encode(kind, raw) for (_c, kind), raw in zip(cols, row, strict=True)]
            if len(rows) < BATCH:
                return
            last = rows[-1][position]


def insert(model: type[Model], names: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert backed-up rows (columns ``names``, as :func:`dump` wrote them) with plain SQL."""
    kinds = dict(columns(model))
    missing = [name for name in names if name not in kinds]
    if missing or len(names) != len(kinds):
        raise ValueError(
            f"{model._meta.label_lower}: the backup's columns ({', '.join(names)}) are not this "
            f"version's ({', '.join(kinds)})"
        )
    quote = connection.ops.quote_name
    order = [kinds[name] for name in names]
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(n) for n in names)}) "  # noqa: S608 - quoted identifiers only
        f"VALUES ({', '.join(['%s'] * len(names))})"
    )
    converters = [decoder(kind) for kind in order]
    params = [
        [
            value if value is None or convert is None else convert(value)
            for convert, value in zip(converters, row, strict=True)
        ]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def count(model: type[Model]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608 - quoted identifier only
        return int(cursor.fetchone()[0])


def has_rows(model: type[Model]) -> bool:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {table} LIMIT 1")  # noqa: S608 - quoted identifier only
        return cursor.fetchone() is not None


def empty_seeded() -> None:
    """Remove the rows ``migrate`` created (content types, permissions): the backup's replace
    them. Inside the restore's transaction only."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for label in ("auth.permission", "contenttypes.contenttype"):
            table = apps.get_model(label)._meta.db_table
            cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608 - quoted identifier only


def reset_sequences(restored: Sequence[type[Model]]) -> None:
    """Make the next ids follow the restored ones (PostgreSQL; SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(restored))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
