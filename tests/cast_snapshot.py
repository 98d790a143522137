"""The cast, built once per database state and copied into each test.

Building the cast through the audited actions costs about a hundred statements (users, members,
organisation keys, audit entries); most tests ask for it. The first test on a database state
builds it for real and records the rows it added or changed; later tests on the same state (a
test's transaction is rolled back, so the state repeats) insert those rows again, byte for
byte, audit chain included. A test outside a transaction (``transactional_db``), or a state that
differs from the recorded one (after a flush), builds it for real.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.db import connection

from justicework.core.models import Organisation, User

Row = tuple[Any, ...]


@dataclass
class _Table:
    name: str
    columns: list[str]
    key: str
    added: list[Row]
    changed: list[Row]


@dataclass
class _Snapshot:
    base: tuple[Any, ...]
    tables: list[_Table]
    organisations: dict[str, int]
    users: dict[str, int]
    extra: dict[str, Any]


_snapshots: dict[str, _Snapshot] = {}


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _tables() -> list[str]:
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
    return [name for name in names if not name.startswith("sqlite_")]


def _contents(tables: Sequence[str]) -> dict[str, tuple[list[str], str, dict[Any, Row]]]:
    """Every row of every table, by primary key (tables without one are left out)."""
    seen: dict[str, tuple[list[str], str, dict[Any, Row]]] = {}
    with connection.cursor() as cursor:
        for name in tables:
            key = connection.introspection.get_primary_key_column(cursor, name)
            if key is None:
                continue
            cursor.execute(f"SELECT * FROM {_q(name)}")  # noqa: S608 - names from introspection
            columns = [column[0] for column in cursor.description]
            at = columns.index(key)
            seen[name] = (columns, key, {row[at]: tuple(row) for row in cursor.fetchall()})
    return seen


def _base() -> tuple[Any, ...]:
    """What the recorded rows depend on: the audit head and the highest ids of the cast's
    tables (the rows restored must neither collide nor break the chain)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT seq, hash FROM audit_audithead")
        head = tuple(cursor.fetchall())
        cursor.execute(
            "SELECT (SELECT MAX(id) FROM core_organisation), (SELECT MAX(id) FROM core_user),"
            " (SELECT COUNT(*) FROM audit_auditentry)"
        )
        ids = tuple(cursor.fetchone())
    return (connection.vendor, head, ids)


def _record(before: dict[str, tuple[list[str], str, dict[Any, Row]]]) -> list[_Table]:
    after = _contents(list(before))
    tables = []
    for name, (columns, key, rows) in after.items():
        old = before[name][2]
        added = [row for pk, row in rows.items() if pk not in old]
        changed = [row for pk, row in rows.items() if pk in old and old[pk] != row]
        gone = [pk for pk in old if pk not in rows]
        if gone:
            raise RuntimeError(f"building the cast removed rows of {name}; cannot replay it")
        if added or changed:
            tables.append(_Table(name, columns, key, added, changed))
    return tables


def _replay(snapshot: _Snapshot) -> None:
    with connection.cursor() as cursor:
        for table in snapshot.tables:
            marks = ", ".join(["%s"] * len(table.columns))
            names = ", ".join(_q(column) for column in table.columns)
            if table.added:
                cursor.executemany(
                    f"INSERT INTO {_q(table.name)} ({names}) VALUES ({marks})",  # noqa: S608
                    table.added,
                )
            if table.changed:
                at = table.columns.index(table.key)
                sets = ", ".join(f"{_q(column)} = %s" for column in table.columns)
                cursor.executemany(
                    f"UPDATE {_q(table.name)} SET {sets} WHERE {_q(table.key)} = %s",  # noqa: S608
                    [(*row, row[at]) for row in table.changed],
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
    base = _base()
    snapshot = _snapshots.get(connection.alias)
    if snapshot is not None and snapshot.base == base:
        _replay(snapshot)
        return _namespace(snapshot)
    before = _contents(_tables())
    made = build()
    items = vars(made)
    _snapshots[connection.alias] = _Snapshot(
        base=base,
        tables=_record(before),
        organisations={k: v.pk for k, v in items.items() if isinstance(v, Organisation)},
        users={k: v.pk for k, v in items.items() if isinstance(v, User)},
        extra={k: v for k, v in items.items() if not isinstance(v, Organisation | User)},
    )
    return made
