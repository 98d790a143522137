"""Refuse to serve with the wrong master key (DESIGN 4.4).

A lost or wrong ``JUSTICEWORK_MASTER_KEY`` must stop the application at start with a message an
operator can act on — never let it run and fail on the first identity someone opens, and never
return garbage. ``wsgi.py``, ``asgi.py`` and ``justicework keys check`` call
:func:`check_master_key`; the same places warn about a data directory open to group or others
(``filemodes``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection

from justicework.encryption.keyring import (
    MASTER_KEY_VARIABLE,
    MasterKeyMismatch,
    master_key_id,
    unwrap_key,
)
from justicework.encryption.models import DataKey


@dataclass
class KeyCheck:
    checked: int = 0
    #: Keys still wrapped by a key from JUSTICEWORK_OLD_MASTER_KEYS (run `keys rotate --master`).
    on_old_master: list[int] = field(default_factory=list)
    table_missing: bool = False


def check_master_key() -> KeyCheck:
    """Unwrap every stored data key with the configured master key(s).

    Raises :class:`MasterKeyMismatch` naming ``JUSTICEWORK_MASTER_KEY`` when any key does not
    unwrap. A database that is not migrated yet (no key table) passes: nothing is encrypted yet.
    """
    result = KeyCheck()
    current = master_key_id(settings.MASTER_KEY)
    # Only a missing table is tolerated; an unreachable database is an error like any other.
    if DataKey._meta.db_table not in connection.introspection.table_names():
        result.table_missing = True
        return result
    rows = list(DataKey.objects.order_by("id").values_list("pk", "wrapped_key", "master_key_id"))
    for pk, wrapped, wrapped_by in rows:
        try:
            unwrap_key(bytes(wrapped), wrapped_by)
        except MasterKeyMismatch as exc:
            raise MasterKeyMismatch(
                f"{MASTER_KEY_VARIABLE} cannot unwrap data key {pk}: it is not the master key "
                f"this database was created with (configured key id {current}). Set the "
                f"right {MASTER_KEY_VARIABLE} (or {MASTER_KEY_VARIABLE}_FILE) before starting; "
                f"nothing encrypted can be read without it. Detail: {exc}"
            ) from exc
        result.checked += 1
        if wrapped_by != current:
            result.on_old_master.append(pk)
    return result


def check_at_start() -> None:
    """For ``wsgi.py``/``asgi.py``: check, then close the connection the check opened (a
    pre-forking server must not share it between workers). Files open to group or others are
    logged as a warning (``filemodes``)."""
    from django.db import connections

    from justicework.encryption.filemodes import warn_if_exposed

    try:
        check_master_key()
    finally:
        connections.close_all()
    warn_if_exposed()
