"""A fast ``bulk_create`` for importers: one ``executemany`` per model, primary keys allocated up
front (so the caller can link the new rows at once), values prepared by each field as Django
would (encrypted fields encrypt in ``pre_save``, JSON, dates and datetimes are adapted for the
database).

Django's ``bulk_create`` spends most of its time building SQL text (a placeholder per value,
statements split to fit SQLite's variable limit); ``executemany`` of one prepared statement
avoids that. Use it only inside a write function that checks the policy and records the audit
entries (an action or a schema's ``commit_chunk``), in a transaction: on SQLite the primary keys
come from ``MAX(id)`` under the write lock that the transaction holds (``IMMEDIATE`` mode).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any

from django.db import DatabaseError, connection, models, transaction

from justicework.encryption import keyring
from justicework.encryption.fields import EncryptedField

Converter = Callable[[models.Model], Any]


def _encrypting(field: EncryptedField) -> Converter:
    """``field.pre_save(obj, True)`` with the key of each scope looked up once per batch."""
    attname = field.attname
    context = field.context
    by_scope: dict[str, Callable[[bytes], Any]] = {}

    def convert(obj: models.Model) -> Any:
        value = getattr(obj, attname)
        if field.is_empty(value):
            return None
        if isinstance(value, keyring.Ciphertext):
            return value
        scope = field.scope_for(obj)
        seal = by_scope.get(scope)
        if seal is None:
            seal = by_scope[scope] = keyring.encryptor(scope, context)
        return seal(field.to_bytes(value))

    return convert


def _converter(field: models.Field[Any, Any]) -> Converter:
    attname = field.attname
    if isinstance(field, EncryptedField):
        return _encrypting(field)
    if isinstance(field, models.DateTimeField):
        adapt_dt = connection.ops.adapt_datetimefield_value
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return lambda obj: adapt_dt(field.pre_save(obj, True))
        return lambda obj: adapt_dt(getattr(obj, attname))
    if isinstance(field, models.DateField):
        adapt_date = connection.ops.adapt_datefield_value
        return lambda obj: adapt_date(getattr(obj, attname))
    if isinstance(field, models.JSONField | models.DecimalField | models.UUIDField):
        return lambda obj: field.get_db_prep_save(getattr(obj, attname), connection)
    return lambda obj: _plain(getattr(obj, attname))


def _plain(value: Any) -> Any:
    """Choices enums as their value (a driver may adapt an Enum by its name)."""
    return value.value if isinstance(value, enum.Enum) else value


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` fresh primary keys for explicit inserts (call inside the write transaction).

    PostgreSQL draws them from the table's sequence. SQLite takes the larger of ``MAX(id)`` and
    ``sqlite_sequence``, so the id of a deleted row is never handed out again: an audit entry
    that names a deleted record must never come to name a new one.
    """
    table = model._meta.db_table
    pk = model._meta.pk
    assert pk is not None
    column = pk.column
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [quote(table), column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX({quote(column)}), 0) FROM {quote(table)}")  # noqa: S608 - names are quoted identifiers
        highest = int(cursor.fetchone()[0])
        if connection.vendor == "sqlite":
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            if row is not None:
                highest = max(highest, int(row[0]))
        return list(range(highest + 1, highest + 1 + count))


def write_rows(
    table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], sql: str = ""
) -> None:
    """Insert prepared rows (values as the driver takes them). PostgreSQL: ``COPY ... FROM
    STDIN`` (psycopg 3 ``copy.write_row``), several times faster than a pipelined
    ``executemany``; other databases: ``executemany`` of ``sql`` (built when not given)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        if not sql:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"  # noqa: S608 - quoted identifiers only
        cursor.executemany(sql, rows)


def insert_values(
    model: type[models.Model],
    attnames: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    returning_ids: bool = True,
) -> list[int]:
    """Insert rows of prepared values for ``attnames`` (no model instances: for plain columns
    that need no conversion, such as the import's row keys) with fresh primary keys, which
    are returned; with ``returning_ids=False`` the database assigns them (its sequence, or
    SQLite's AUTOINCREMENT: never a deleted row's id) and ``[]`` is returned. Inside a
    transaction, as :func:`insert_many`."""
    if not rows:
        return []
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("insert_values must run inside a transaction")
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    fields = {f.attname: f for f in meta.concrete_fields}
    columns = [fields[name].column for name in attnames]
    if not returning_ids:
        write_rows(meta.db_table, columns, rows)
        return []
    ids = allocate_ids(model, len(rows))
    write_rows(
        meta.db_table,
        [pk.column, *columns],
        [(new_id, *row) for new_id, row in zip(ids, rows, strict=True)],
    )
    return ids


def prepared_row(obj: models.Model) -> tuple[list[str], list[Any]]:
    """The attribute names of ``obj``'s concrete fields and its values as :func:`insert_many`
    writes them (a template for rows built as tuples; ``obj`` is not saved)."""
    fields = list(obj._meta.concrete_fields)
    return [f.attname for f in fields], [_converter(f)(obj) for f in fields]


def insert_many(objs: Sequence[models.Model]) -> None:
    """Insert ``objs`` (all of one concrete model, not saved yet) and set their primary keys.
    Field defaults apply as in the constructor; no signals are sent (as ``bulk_create``)."""
    if not objs:
        return
    model = type(objs[0])
    if any(type(obj) is not model for obj in objs):
        raise TypeError("insert_many: every object must be of the same model")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("insert_many must run inside a transaction")
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    for obj, new_id in zip(objs, allocate_ids(model, len(objs)), strict=True):
        setattr(obj, pk.attname, new_id)
    fields = list(meta.concrete_fields)
    converters = [_converter(f) for f in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608 - quoted identifiers only
    rows = [tuple(convert(obj) for convert in converters) for obj in objs]
    write_rows(meta.db_table, [f.column for f in fields], rows, sql)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


#: Checks every deferred constraint on what the transaction wrote so far, then defers again
#: (as Django's ``check_constraints``; no constraint here is DEFERRABLE INITIALLY IMMEDIATE).
_CHECK_DEFERRED = b"SET CONSTRAINTS ALL IMMEDIATE; SET CONSTRAINTS ALL DEFERRED"


@contextmanager
def deferred_keys_checked_meanwhile() -> Iterator[None]:
    """PostgreSQL: have the server check the deferred foreign keys of the rows written so far
    in this transaction while this process runs the block (Python work that needs no query).

    Django declares its foreign keys ``DEFERRABLE INITIALLY DEFERRED``: PostgreSQL checks them
    one row at a time at ``COMMIT``, while the importer waits: a third of the server's work of
    an import, all at the end. Here the check is sent without waiting for its answer; the
    answer is read when the block ends, or before the block's first query (an execute wrapper),
    so the connection is never used out of turn. A violated key raises ``IntegrityError``
    there, as it would have at ``COMMIT``, and the transaction is rolled back by its owner.
    Nothing is checked twice or less: the checks happen earlier, in the same transaction.
    Elsewhere (SQLite, no transaction): the block just runs."""
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        yield
        return
    from psycopg import errors, generators, pq

    conn = connection.connection
    pgconn = conn.pgconn
    pgconn.send_query(_CHECK_DEFERRED)
    conn.wait(generators.send(pgconn))
    pending = True

    def answer() -> None:
        nonlocal pending
        if not pending:
            return
        pending = False
        for result in conn.wait(generators.fetch_many(pgconn)):
            if result.status != pq.ExecStatus.COMMAND_OK:
                with connection.wrap_database_errors:
                    raise errors.error_from_result(result, encoding=conn.info.encoding)

    def answered_first(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        answer()
        return execute(sql, params, many, context)

    try:
        with connection.execute_wrapper(answered_first):
            yield
    except BaseException:
        # The block's own error wins: the transaction is rolled back whatever the check said.
        with suppress(DatabaseError):
            answer()
        raise
    answer()
