"""The cast, built once per database state and copied into each test.

Building the cast through the audited actions costs about a hundred statements (users, members,
organisation keys, audit entries); most tests ask for it. The first test on a database state
builds it for real and records the rows it added or changed; later tests on the same state (a
test's transaction is rolled back, so the state repeats) insert those rows again, byte for
byte, audit chain included, after checking that every table the build touched is as it was
(a flush, a test's own organisation or another full-text index state differ). A test outside
a transaction (``transactional_db``) or on a differing state builds it for real.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.db import DatabaseError, connection, transaction

from justicework.core.models import Organisation, User

Row = tuple[Any, ...]


@dataclass
class _Table:
    name: str
    columns: list[str]
    key: str
    count: int  # rows before the build
    added: list[Row]
    changed: list[tuple[Row, Row]]  # (before, after)
    removed: list[Row]  # before
    virtual: bool = False  # SQLite's full-text table, keyed by its rowid

    @property
    def select(self) -> str:
        return f"SELECT {'rowid AS rowid, ' if self.virtual else ''}* FROM {_q(self.name)}"  # noqa: S608

    @property
    def at(self) -> int:
        return self.columns.index(self.key)


@dataclass
class _Snapshot:
    tables: list[_Table]
    organisations: dict[str, int]
    users: dict[str, int]
    extra: dict[str, Any]


_snapshots: dict[str, _Snapshot] = {}


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _virtual_tables() -> set[str]:
    """SQLite's full-text tables: read and written through themselves by ``rowid``; their
    shadow tables (segments keyed by more than one column) are left to them."""
    if connection.vendor != "sqlite":
        return set()
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%%'")
        return {row[0] for row in cursor.fetchall()}


_SHADOWS = ("_data", "_idx", "_content", "_docsize", "_config")


def _tables() -> list[str]:
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
    virtual = _virtual_tables()
    shadows = {v + suffix for v in virtual for suffix in _SHADOWS}
    return [n for n in [*names, *virtual] if not n.startswith("sqlite_") and n not in shadows]


def _contents(tables: Sequence[str]) -> dict[str, tuple[list[str], str, dict[Any, Row]]]:
    """Every row of every table, by primary key (tables without one are left out)."""
    seen: dict[str, tuple[list[str], str, dict[Any, Row]]] = {}
    virtual = _virtual_tables()
    with connection.cursor() as cursor:
        for name in dict.fromkeys(tables):
            if name in virtual:
                key, select = "rowid", f"SELECT rowid AS rowid, * FROM {_q(name)}"  # noqa: S608
            else:
                key = connection.introspection.get_primary_key_column(cursor, name)
                select = f"SELECT * FROM {_q(name)}"  # noqa: S608 - names from introspection
            if key is None:
                continue
            cursor.execute(select)
            columns = [column[0] for column in cursor.description]
            at = columns.index(key)
            seen[name] = (columns, key, {row[at]: tuple(row) for row in cursor.fetchall()})
    return seen


def _record(before: dict[str, tuple[list[str], str, dict[Any, Row]]]) -> list[_Table]:
    after = _contents(list(before))
    virtual = _virtual_tables()
    tables = []
    for name, (columns, key, rows) in after.items():
        old = before[name][2]
        added = [row for pk, row in rows.items() if pk not in old]
        changed = [(old[pk], row) for pk, row in rows.items() if pk in old and old[pk] != row]
        removed = [row for pk, row in old.items() if pk not in rows]
        if added or changed or removed:
            table = _Table(name, columns, key, len(old), added, changed, removed, name in virtual)
            if table.virtual:  # a full-text row is replaced, not updated in place
                table.removed += [old for old, _new in changed]
                table.added += [new for _old, new in changed]
                table.changed = []
            tables.append(table)
    return tables


def _matches(snapshot: _Snapshot) -> bool:
    """Whether every table the build touched is as it was before the recorded build: the
    same number of rows, none of the added keys, the changed and removed rows as they were."""
    with connection.cursor() as cursor:
        for table in snapshot.tables:
            cursor.execute(f"SELECT COUNT(*) FROM {_q(table.name)}")  # noqa: S608
            if cursor.fetchone()[0] != table.count:
                return False
            expected: dict[Any, Row | None] = {row[table.at]: None for row in table.added}
            expected.update({old[table.at]: old for old, _new in table.changed})
            expected.update({old[table.at]: old for old in table.removed})
            marks = ", ".join(["%s"] * len(expected))
            cursor.execute(
                f"{table.select} WHERE {_q(table.key)} IN ({marks})",
                list(expected),
            )
            found = {row[table.at]: tuple(row) for row in cursor.fetchall()}
            if any(found.get(pk) != row for pk, row in expected.items()):
                return False
    return True


def _replay(snapshot: _Snapshot) -> None:
    with connection.cursor() as cursor:
        for table in snapshot.tables:
            key = _q(table.key)
            if table.removed:
                cursor.executemany(
                    f"DELETE FROM {_q(table.name)} WHERE {key} = %s",  # noqa: S608
                    [(row[table.at],) for row in table.removed],
                )
            if table.changed:
                sets = ", ".join(f"{_q(column)} = %s" for column in table.columns)
                cursor.executemany(
                    f"UPDATE {_q(table.name)} SET {sets} WHERE {key} = %s",  # noqa: S608
                    [(*new, new[table.at]) for _old, new in table.changed],
                )
            if table.added:
                marks = ", ".join(["%s"] * len(table.columns))
                names = ", ".join(_q(column) for column in table.columns)
                cursor.executemany(
                    f"INSERT INTO {_q(table.name)} ({names}) VALUES ({marks})",  # noqa: S608
                    table.added,
                )
                _sequence_past(cursor, table)


def _sequence_past(cursor: Any, table: _Table) -> None:
    """On PostgreSQL, move the key's sequence past the rows replayed with their own keys: a
    sequence is not rolled back, and a test that set it back (a restore's ``setval``) would
    otherwise hand out a replayed key again."""
    keys = [row[table.at] for row in table.added]
    if connection.vendor != "postgresql" or not all(isinstance(key, int) for key in keys):
        return
    cursor.execute(
        "SELECT setval(s::regclass, %s) FROM pg_get_serial_sequence(%s, %s) AS s"
        " WHERE s IS NOT NULL AND COALESCE(pg_sequence_last_value(s::regclass), 0) < %s",
        [max(keys), table.name, table.key, max(keys)],
    )


def _namespace(snapshot: _Snapshot) -> SimpleNamespace:
    organisations = Organisation.objects.in_bulk(list(snapshot.organisations.values()))
    users = User.objects.in_bulk(list(snapshot.users.values()))
    return SimpleNamespace(
        **{name: organisations[pk] for name, pk in snapshot.organisations.items()},
        **{name: users[pk] for name, pk in snapshot.users.items()},
        **snapshot.extra,
    )


def cast(build: Callable[[], SimpleNamespace]) -> SimpleNamespace:
    """The cast for this test: replayed from the snapshot of this database state when there
    is one, else built by ``build`` (and recorded when the test runs in a transaction)."""
    if not connection.in_atomic_block:
        return build()
    snapshot = _snapshots.get(connection.alias)
    if snapshot is not None and _matches(snapshot):
        try:
            with transaction.atomic():
                _replay(snapshot)
            return _namespace(snapshot)
        except DatabaseError:  # a constraint the checks above did not foresee: build it
            pass
    before = _contents(_tables())
    made = build()
    items = vars(made)
    _snapshots[connection.alias] = _Snapshot(
        tables=_record(before),
        organisations={k: v.pk for k, v in items.items() if isinstance(v, Organisation)},
        users={k: v.pk for k, v in items.items() if isinstance(v, User)},
        extra={k: v for k, v in items.items() if not isinstance(v, Organisation | User)},
    )
    return made
