"""The one fast-insert path of the importers, the bulk actions and the scale generator.

Rows go to the database in one statement stream per model: ``COPY ... FROM STDIN`` on
PostgreSQL (psycopg 3), one ``executemany`` of a prepared ``INSERT`` elsewhere (SQLite).
Primary keys are drawn up front (:func:`allocate_ids`) so callers can link new rows at once.
Every value goes through one converter per field (:func:`_converter`): encrypted fields are
sealed as ``pre_save`` would, dates, datetimes, JSON, decimals and UUIDs are adapted for the
database, choices enums become their value. No signals are sent, no ``save()`` is called: use
it only inside an action that checks the policy and records the audit entries, in a
transaction (on SQLite the ids come from ``MAX(id)`` under the write lock it holds).

Each model written here is declared with :func:`writes` (and the fields its callers always
set); :func:`maker` builds instances from one template, so the other fields of such a model
must have no callable default (``tests/core/test_bulk.py`` checks every declared model).
"""

from __future__ import annotations

import datetime as dt
import enum
import inspect
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any, TypeVar

from django.db import DatabaseError, connection, models, transaction
from django.db.models import signals
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute

from justicework.encryption import keyring
from justicework.encryption.fields import EncryptedField

M = TypeVar("M", bound=models.Model)

#: Rows per ``COPY`` / ``executemany`` call (bounds the memory of one statement).
CHUNK = 5000

#: The models written here, with the fields their callers always set.
_WRITTEN: dict[type[models.Model], frozenset[str]] = {}


def writes(model: type[models.Model], *, given: Iterable[str] = ()) -> None:
    """Declare that ``model`` is written by this module; ``given``: the fields every caller
    sets (so their defaults, callable or not, are never used)."""
    _WRITTEN[model] = frozenset(given)


def written() -> dict[type[models.Model], frozenset[str]]:
    """The declared models and the fields their callers always set."""
    return dict(_WRITTEN)


def callable_defaults(model: type[models.Model]) -> list[str]:
    """Fields of ``model`` with a callable default that its callers do not always set: a
    template built once per batch would share that one value between rows."""
    given = _WRITTEN.get(model, frozenset())
    return [
        f.name
        for f in model._meta.concrete_fields
        if f.has_default() and callable(f.default) and f.name not in given and not f.primary_key
    ]


def _declared(model: type[models.Model], *, writing: bool = True) -> None:
    if model not in _WRITTEN:
        raise LookupError(f"{model._meta.label} is not declared with bulk.writes()")
    if writing and not transaction.get_connection().in_atomic_block:
        raise RuntimeError("bulk inserts must run inside a transaction")


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` fresh primary keys for explicit inserts (call inside the write transaction).

    PostgreSQL draws them from the table's sequence. SQLite takes the larger of ``MAX(id)`` and
    ``sqlite_sequence``, so the id of a deleted row is never handed out again: an audit entry
    that names a deleted record must never come to name a new one.
    """
    if count <= 0:
        return []
    table = model._meta.db_table
    pk = model._meta.pk
    assert pk is not None
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [quote(table), pk.column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX({quote(pk.column)}), 0) FROM {quote(table)}")  # noqa: S608 - names are quoted identifiers
        highest = int(cursor.fetchone()[0])
        if connection.vendor == "sqlite":
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            if row is not None:
                highest = max(highest, int(row[0]))
        return list(range(highest + 1, highest + 1 + count))


def _write(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert prepared rows (values as the driver takes them), ``CHUNK`` rows per call."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"  # noqa: S608 - quoted identifiers only
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                    for row in chunk:
                        copy.write_row(row)
            else:
                cursor.executemany(sql, chunk)


def _plain(value: Any) -> Any:
    """Choices enums as their value (a driver may adapt an Enum by its name)."""
    return value.value if isinstance(value, enum.Enum) else value


#: Values a plain column passes through as they are (anything else goes through ``_plain``).
_AS_IS = frozenset({str, int, bool, type(None), float})

ValueConverter = Callable[[Any], Any]
ObjectConverter = Callable[[models.Model, Any], Any]


def _encrypting(field: EncryptedField) -> ObjectConverter:
    """``field.pre_save(obj, True)`` with the key of each scope looked up once per batch."""
    by_scope: dict[str, Callable[[bytes], Any]] = {}

    def convert(obj: models.Model, value: Any) -> Any:
        if field.is_empty(value):
            return None
        if isinstance(value, keyring.Ciphertext):
            return value
        scope = field.scope_for(obj)
        seal = by_scope.get(scope)
        if seal is None:
            seal = by_scope[scope] = keyring.encryptor(scope, field.context)
        return seal(field.to_bytes(value))

    return convert


def _converter(field: models.Field[Any, Any]) -> ValueConverter | ObjectConverter | None:
    """How a value of ``field`` is written: ``None`` for a plain column, a function of the
    value, or (encrypted and ``auto_now`` fields) a function of the object and the value."""
    ops = connection.ops
    if isinstance(field, EncryptedField):
        return _encrypting(field)
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return lambda obj, _v: ops.adapt_datetimefield_value(field.pre_save(obj, True))
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
    if isinstance(field, models.JSONField | models.DecimalField | models.UUIDField):
        return lambda v: field.get_db_prep_save(v, connection)
    return None


def _needs_object(field: models.Field[Any, Any]) -> bool:
    return isinstance(field, EncryptedField) or bool(
        getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    )


def db_value(model: type[models.Model], attname: str, value: Any) -> Any:
    """``value`` of a field without an object (a shared stamp of rows for
    :func:`insert_rows`), as :func:`insert` writes it."""
    field = next(f for f in model._meta.concrete_fields if f.attname == attname)
    if _needs_object(field):
        raise TypeError(f"{field} needs its object: use insert() or prepared_row()")
    convert = _converter(field)
    return _plain(value) if convert is None else convert(value)  # type: ignore[call-arg]


def _rows(fields: Sequence[models.Field[Any, Any]], objs: Sequence[models.Model]) -> list[Any]:
    """The values of ``objs`` as the database takes them, one tuple per object."""
    attnames = [f.attname for f in fields]
    # All values of an object in one call; a converter only where a value needs one.
    values_of: Callable[[Any], Any] = operator.attrgetter(*attnames)
    if len(attnames) == 1:  # attrgetter of one name gives the value, not a tuple
        values_of = lambda obj: (getattr(obj, attnames[0]),)  # noqa: E731
    by_value: list[tuple[int, Any]] = []
    by_object: list[tuple[int, Any]] = []
    plain: list[int] = []
    for i, field in enumerate(fields):
        convert = _converter(field)
        if convert is None:
            plain.append(i)
        else:
            (by_object if _needs_object(field) else by_value).append((i, convert))
    rows = []
    for obj in objs:
        row = list(values_of(obj))
        for i, convert in by_value:
            row[i] = convert(row[i])
        for i, convert in by_object:
            row[i] = convert(obj, row[i])
        for i in plain:
            if type(row[i]) not in _AS_IS:
                row[i] = _plain(row[i])
        rows.append(tuple(row))
    return rows


def prepared_row(obj: models.Model) -> tuple[list[str], list[Any]]:
    """The attribute names of ``obj``'s concrete fields and its values as :func:`insert`
    writes them (a template for rows built as tuples; ``obj`` is not saved)."""
    fields = list(obj._meta.concrete_fields)
    return [f.attname for f in fields], list(_rows(fields, [obj])[0])


def insert(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Insert ``objs`` (instances of ``model``, not saved yet) and set their primary keys.
    Field defaults apply as in the constructor; no signals are sent (as ``bulk_create``)."""
    if not objs:
        return
    _declared(model)
    if any(type(obj) is not model for obj in objs):
        raise TypeError(f"bulk.insert: every object must be a {model.__name__}")
    meta = model._meta
    fields = list(meta.concrete_fields)
    pk = meta.pk
    assert pk is not None
    for obj, new_id in zip(objs, allocate_ids(model, len(objs)), strict=True):
        setattr(obj, pk.attname, new_id)
    _write(meta.db_table, [f.column for f in fields], _rows(fields, objs))
    alias = connection.alias
    for obj in objs:
        obj._state.adding = False
        obj._state.db = alias


def insert_rows(
    model: type[models.Model],
    attnames: Sequence[str],
    rows: Sequence[Sequence[Any]],
) -> None:
    """Insert rows of prepared values (:func:`prepared_row`, :func:`db_value`) for
    ``attnames``: the rows that need no model instance (links, index entries, row keys). When
    ``attnames`` leaves out the primary key the database assigns it (its sequence, or
    SQLite's AUTOINCREMENT: never a deleted row's id); include it with ids from
    :func:`allocate_ids` when the caller needs them."""
    if not rows:
        return
    _declared(model)
    columns = {f.attname: f.column for f in model._meta.concrete_fields}
    _write(model._meta.db_table, [columns[name] for name in attnames], rows)


def maker(model: type[M], **shared: Any) -> Callable[..., M]:
    """A constructor of unsaved ``model`` instances that all start from one template (the
    defaults evaluated once, ``shared`` values set); its keyword arguments (attribute names)
    replace the template's values. Refuses a model with a callable default that ``shared``
    leaves out: every row would share the value it returned once.

    An instance is what ``Model.__init__`` with every value positional makes; when that
    amounts to storing the values (:func:`_stored_as_is`), they are stored directly."""
    _declared(model, writing=False)
    late = [name for name in callable_defaults(model) if name not in shared]
    if late:
        raise TypeError(f"{model._meta.label}: callable default of {late} would be shared")
    attnames = [f.attname for f in model._meta.concrete_fields]
    template = model(**shared)
    values = [getattr(template, name) for name in attnames]
    slots = {name: i for i, name in enumerate(attnames)}
    if not _stored_as_is(model, attnames):

        def make(**fields: Any) -> M:
            row = values.copy()
            for name, value in fields.items():
                row[slots[name]] = value
            return model(*row)

        return make
    base = dict(zip(attnames, values, strict=True))
    new = object.__new__

    def make_stored(**fields: Any) -> M:
        if not slots.keys() >= fields.keys():
            raise KeyError(sorted(fields.keys() - slots.keys()))
        obj = new(model)
        state = base.copy()
        state.update(fields)
        state["_state"] = ModelState()
        obj.__dict__ = state
        return obj

    return make_stored


def _stored_as_is(model: type[models.Model], attnames: Sequence[str]) -> bool:
    """Whether ``Model.__init__`` of ``model`` with all values positional only stores them in
    the instance's ``__dict__``: the model's ``__init__`` is Django's, no ``pre_init`` or
    ``post_init`` receiver, and each attribute's descriptor is a plain column's (no ``__set__``)
    or a foreign key id's (its ``__set__`` only drops a cached related object: a new instance
    has none)."""
    if model.__init__ is not models.Model.__init__:
        return False
    if signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model):
        return False
    allowed = (DeferredAttribute, ForeignKeyDeferredAttribute)
    return all(type(inspect.getattr_static(model, name)) in allowed for name in attnames)


#: Checks every deferred constraint on what the transaction wrote so far, then defers again
#: (as Django's ``check_constraints``; no constraint here is DEFERRABLE INITIALLY IMMEDIATE).
_CHECK_DEFERRED = b"SET CONSTRAINTS ALL IMMEDIATE; SET CONSTRAINTS ALL DEFERRED"


@contextmanager
def deferred_keys_checked_meanwhile() -> Iterator[None]:
    """PostgreSQL: have the server check the deferred foreign keys of the rows written so far
    in this transaction while this process runs the block (Python work that needs no query).

    Django declares its foreign keys ``DEFERRABLE INITIALLY DEFERRED``: PostgreSQL checks them
    one row at a time at ``COMMIT``, while the importer waits. Here the check is sent without
    waiting for its answer; the answer is read when the block ends, or before the block's first
    query (an execute wrapper), so the connection is never used out of turn. A violated key
    raises ``IntegrityError`` there, as it would have at ``COMMIT``, and the transaction is
    rolled back by its owner. Nothing is checked twice or less: the checks happen earlier, in
    the same transaction. Elsewhere (SQLite, no transaction): the block just runs."""
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
