"""Fast inserts for the bulk actions and the scale generator.

On SQLite, Django's ``bulk_create`` is limited to 999 parameters per statement (about 50
violation rows) and prepares every value through the field; here ids are reserved under the
write lock that ``BEGIN IMMEDIATE`` holds and rows go through one ``executemany``, about twice
as fast. On PostgreSQL ids come from the table's sequence (``nextval`` for the whole batch) and
psycopg 3 pipelines the ``executemany``: cheaper than ``bulk_create`` building a multi-row
``VALUES`` statement with a placeholder per value.

Only for models whose fields need no Python-side conversion beyond dates and times (no
encrypted fields: those must be written by ``bulk_create`` so that ``pre_save`` encrypts).
Call inside a transaction.
"""

from __future__ import annotations

import datetime as dt
import enum
import operator
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models

from justicework.dataio.fastinsert import allocate_ids, write_rows
from justicework.encryption.fields import EncryptedField

CHUNK = 5000


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` fresh primary keys for explicit inserts (call inside the transaction); never
    the id of a deleted row (see :func:`justicework.dataio.fastinsert.allocate_ids`)."""
    if count <= 0:
        return []
    return allocate_ids(model, count)


def insert_rows(
    model: type[models.Model], attnames: list[str], rows: list[tuple[Any, ...]]
) -> None:
    """``INSERT`` prepared rows (values already adapted): ``executemany``, or ``COPY`` on
    PostgreSQL (:func:`justicework.dataio.fastinsert.write_rows`)."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    columns = [fields[name].column for name in attnames]
    for start in range(0, len(rows), CHUNK):
        write_rows(model._meta.db_table, columns, rows[start : start + CHUNK])


def adapt_datetime(value: dt.datetime) -> Any:
    """A datetime as the database takes it in :func:`insert_rows`."""
    return connection.ops.adapt_datetimefield_value(value)


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value  # choices as their value


def _converter(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    ops = connection.ops
    if isinstance(field, EncryptedField):
        raise TypeError(f"{field} is encrypted: use bulk_create so that it is encrypted.")
    if isinstance(field, models.DateTimeField):
        # A batch stamps its rows with one time (created_at, updated_at): adapted once.
        last: list[Any] = [None, None]

        def adapt_datetime(v: Any) -> Any:
            if v is last[0]:
                return last[1]
            adapted = ops.adapt_datetimefield_value(v) if isinstance(v, dt.datetime) else v
            last[:] = [v, adapted]
            return adapted

        return adapt_datetime
    if isinstance(field, models.DateField):
        return lambda v: ops.adapt_datefield_value(v) if isinstance(v, dt.date) else v
    if isinstance(field, models.JSONField):
        return lambda v: field.get_db_prep_save(v, connection)
    return _plain


#: Values a plain column passes through as they are (anything else goes through ``_plain``).
_AS_IS = frozenset({str, int, bool, type(None), float})


def insert(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Insert ``objs`` and set their primary keys."""
    if not objs:
        return
    fields = list(model._meta.concrete_fields)
    converters = [_converter(f) for f in fields]  # refuses encrypted fields on every database
    for obj, pk in zip(objs, reserve_ids(model, len(objs)), strict=True):
        obj.pk = pk
    attnames = [f.attname for f in fields]
    # All values of an object in one call; the converters only where a value needs one
    # (dates, JSON, enums): the same values as converting every column.
    values_of: Callable[[Any], Any] = operator.attrgetter(*attnames)
    if len(attnames) == 1:  # attrgetter of one name gives the value, not a tuple
        values_of = lambda obj: (getattr(obj, attnames[0]),)  # noqa: E731
    special = [(i, c) for i, c in enumerate(converters) if c is not _plain]
    plain = [i for i, c in enumerate(converters) if c is _plain]
    rows = []
    for obj in objs:
        row = list(values_of(obj))
        for i, convert in special:
            row[i] = convert(row[i])
        for i in plain:
            if type(row[i]) not in _AS_IS:
                row[i] = _plain(row[i])
        rows.append(tuple(row))
    insert_rows(model, attnames, rows)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
