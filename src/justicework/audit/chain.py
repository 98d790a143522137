"""Appending to and walking the hash chain.

Every write made through an action calls :func:`record` inside the action's transaction, so the
entry and the change commit together or not at all. :func:`record_many` appends a batch under one
lock (importers). Diffs must never hold identity plaintext: pass ``sensitive`` field names to
:func:`diff_fields` and only the fact of the change is logged.

``hash = HMAC-SHA256(audit key, prev_hash ‖ canonical JSON of the entry)``. The audit key is a key
file beside the master key (``justicework.keyfiles.audit_key``), never in the database: someone
holding only the database can neither append an entry nor rewrite one without ``audit verify``
failing. Chains begun before the key existed keep their plain ``SHA-256`` entries as a prefix,
sealed by the keyed marker entry ``audit.chain_keyed`` that migration 0005 appends
(:mod:`justicework.audit.verify`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from justicework.audit.canonical import CanonicalJSONEncoder
from justicework.audit.canonical import canonical_text as _canonical

# The hashing names stay importable from here: callers and verify read them from the chain.
from justicework.audit.hashing import GENESIS_HASH as GENESIS_HASH
from justicework.audit.hashing import _Keyed
from justicework.audit.hashing import canonical_json as canonical_json
from justicework.audit.hashing import compute_hash as compute_hash
from justicework.audit.hashing import entry_payload as entry_payload
from justicework.audit.hashing import head_mac as head_mac
from justicework.audit.hashing import legacy_hash as legacy_hash
from justicework.audit.hashing import payload_of as payload_of
from justicework.audit.models import AuditEntry, AuditHead
from justicework.core.actors import Requester

if TYPE_CHECKING:
    from justicework.core.models import User

#: Key for the PostgreSQL advisory lock that serialises appends (SQLite serialises writers).
ADVISORY_LOCK_KEY = 0x4A57_A0D1


HEAD_ID = 1


def _seal_head(seq: int, entry_hash: str) -> None:
    """Rewrite the sealed head (one row) in the appending transaction, under the chain lock."""
    table = connection.ops.quote_name(AuditHead._meta.db_table)
    values: list[int | str] = [seq, entry_hash, head_mac(seq, entry_hash), HEAD_ID]
    update = f"UPDATE {table} SET seq = %s, hash = %s, mac = %s WHERE id = %s"  # noqa: S608 - quoted identifier only
    insert = f"INSERT INTO {table} (seq, hash, mac, id) VALUES (%s, %s, %s, %s)"  # noqa: S608 - quoted identifier only
    with connection.cursor() as cursor:
        cursor.execute(update, values)
        if cursor.rowcount == 0:
            cursor.execute(insert, values)


@dataclass
class Event:
    """An audit event waiting to be appended."""

    action: str
    actor: Requester = None
    obj: Model | None = None
    organisation_id: int | None = None
    diff: Mapping[str, Any] = field(default_factory=dict)
    object_type: str = ""
    object_id: str = ""


def _actor_fields(actor: Requester) -> tuple[int | None, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, "system" if actor is None else "anonymous"
    user = cast("User", actor)  # authenticated: a member, not AnonymousUser
    return int(user.pk), str(user.email)[:200]


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])


def _head() -> tuple[int, str]:
    last = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
    return (0, GENESIS_HASH) if last is None else (last[0], last[1])


def head() -> AuditEntry | None:
    """The newest entry (``None`` for an empty log)."""
    return AuditEntry.objects.order_by("-seq").first()


_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


_decode_floats_as_text = json.JSONDecoder(parse_float=str).decode


_NESTED = (float, dict, list, tuple)
#: Value types that make a diff plain JSON with no look inside (``_plain_json``).
_FLAT = frozenset({str, int, bool, type(None)})


def _fast_hash(
    prev_hash: str,
    *,
    seq: int,
    created_at: str,
    actor_id: int | None,
    actor_label: str,
    organisation_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    diff_text: bytes,
) -> str:
    """:func:`compute_hash` of :func:`entry_payload` without building and re-encoding the
    payload: its canonical JSON (keys sorted) written out directly, the diff's canonical JSON
    given. Byte-identical to ``canonical_json(payload)`` (tests/audit check it)."""
    digest = _Keyed(prev_hash)
    digest.update(
        (
            f'{{"action":{_dumps(action)},"actor_id":{_dumps(actor_id)},'
            f'"actor_label":{_dumps(actor_label)},"created_at":{_dumps(created_at)},"diff":'
        ).encode()
    )
    digest.update(diff_text)
    digest.update(
        (
            f',"object_id":{_dumps(object_id)},"object_type":{_dumps(object_type)},'
            f'"organisation_id":{_dumps(organisation_id)},"seq":{_dumps(seq)}}}'
        ).encode()
    )
    return digest.hexdigest()


def _build(events: Sequence[Event], seq: int, prev_hash: str) -> list[AuditEntry]:
    now = timezone.now()
    created_at = now.astimezone(dt.UTC).isoformat(timespec="microseconds")
    entries = []
    last_actor: Requester = None
    actor_id: int | None = None
    actor_label: str | None = None
    for event in events:
        seq += 1
        if event.actor is not last_actor or actor_label is None:
            last_actor = event.actor
            actor_id, actor_label = _actor_fields(event.actor)
        object_type = event.object_type or (event.obj._meta.label_lower if event.obj else "")
        object_id = event.object_id or (str(event.obj.pk) if event.obj is not None else "")
        organisation_id = event.organisation_id
        if organisation_id is None and event.obj is not None:
            organisation_id = getattr(event.obj, "organisation_id", None)
        # Round-trip the diff through JSON so what is hashed is exactly what is stored. Floats
        # become their decimal text: PostgreSQL's jsonb re-spells numbers (1e+20 comes back as
        # 100000000000000000000), which would make an intact entry look altered.
        text = _canonical(dict(event.diff))
        diff = _decode_floats_as_text(text)
        # The stored diff spells floats as text and non-text keys as text (sorted as text):
        # hash what verify_chain recomputes from it. Otherwise the parsed text encodes back to
        # itself.
        diff_text = text.encode("utf-8") if _plain_json(event.diff) else canonical_json(diff)
        entry_hash = _fast_hash(
            prev_hash,
            seq=seq,
            created_at=created_at,
            actor_id=actor_id,
            actor_label=actor_label,
            organisation_id=organisation_id,
            action=event.action,
            object_type=object_type,
            object_id=object_id,
            diff_text=diff_text,
        )
        entries.append(  # positional, in _FIELD_ORDER: Model.__init__'s fast path
            AuditEntry(
                None,
                seq,
                now,
                actor_id,
                actor_label,
                organisation_id,
                event.action,
                object_type,
                object_id,
                diff,
                prev_hash,
                entry_hash,
            )
        )
        prev_hash = entry_hash
    return entries


_FIELD_ORDER = (
    "id",
    "seq",
    "created_at",
    "actor_id",
    "actor_label",
    "organisation_id",
    "action",
    "object_type",
    "object_id",
    "diff",
    "prev_hash",
    "hash",
)
if tuple(f.attname for f in AuditEntry._meta.concrete_fields) != _FIELD_ORDER:
    raise ImportError("audit.chain: AuditEntry's fields changed; update _FIELD_ORDER and _build")


def record_many(events: Sequence[Event]) -> list[AuditEntry]:
    """Append ``events`` in order, atomically, under the chain lock."""
    if not events:
        return []
    with transaction.atomic():
        _lock_chain()
        seq, prev_hash = _head()
        entries = _build(events, seq, prev_hash)
        _insert(entries)
        _seal_head(entries[-1].seq, entries[-1].hash)
    return entries


def append_many(events: Iterable[Event]) -> int:
    """:func:`record_many` for bulk writers that do not need the entries back: the same rows
    (same hashes, same stored diffs) written from tuples, with no ``AuditEntry`` instances and
    no read-back of their ids. Returns the number of entries appended."""
    events = list(events)
    if not events:
        return 0
    with transaction.atomic():
        _lock_chain()
        seq, prev_hash = _head()
        rows = _build_rows(events, seq, prev_hash)
        _write(rows)
        _seal_head(rows[-1][0], rows[-1][10])
    return len(rows)


def _plain_json(value: Any) -> bool:
    """No float anywhere in ``value`` and every dict key a ``str``: then the canonical text
    parsed back encodes to itself, so it is both the hashed and the stored text."""
    if isinstance(value, dict):
        if _FLAT.issuperset(map(type, value.values())) and all(type(k) is str for k in value):
            return True  # the common diff: text keys, no float, nothing nested
        for key, item in value.items():
            if not isinstance(key, str):
                return False
            if isinstance(item, _NESTED) and not _plain_json(item):
                return False
        return True
    if isinstance(value, list | tuple):
        if _FLAT.issuperset(map(type, value)):
            return True  # a list of ids, codes or names
        for item in value:  # noqa: SIM110 - a loop is faster than all(generator) (hot path)
            if isinstance(item, _NESTED) and not _plain_json(item):
                return False
        return True
    return not isinstance(value, float)


def _json_text(value: str) -> str:
    """``_dumps(value)`` for a string (quick for ids and codes)."""
    if value.isascii() and value.isalnum():
        return f'"{value}"'
    return _dumps(value)


def _encoded_diff(diff: Any, adapt_json: Any) -> tuple[bytes, Any]:
    """An event's diff as hashed (canonical JSON) and as stored."""
    diff = diff if type(diff) is dict else dict(diff)
    text = _canonical(diff)
    if _plain_json(diff):
        # The column's spelling (CanonicalJSONEncoder); PostgreSQL parses it into jsonb.
        return text.encode(), text
    # Floats (stored as their text) or non-text keys (sorted as text): as _build.
    parsed = _decode_floats_as_text(text)
    stored = adapt_json(parsed, CanonicalJSONEncoder)
    return canonical_json(parsed), stored  # what verify_chain recomputes


def _object_fields(event: Event) -> tuple[str, str, int | None]:
    """The event's object type, object id and organisation (given, else read off the object)."""
    obj = event.obj
    object_type = event.object_type or (obj._meta.label_lower if obj is not None else "")
    object_id = event.object_id or (str(obj.pk) if obj is not None else "")
    organisation_id = event.organisation_id
    if organisation_id is None and obj is not None:
        organisation_id = getattr(obj, "organisation_id", None)
    return object_type, object_id, organisation_id


def _build_rows(events: Sequence[Event], seq: int, prev_hash: str) -> list[tuple[Any, ...]]:
    """The rows :func:`_insert` writes for :func:`_build`'s entries (``_INSERT_FIELDS``
    order), hashed as :func:`_fast_hash` does; the payload's constant parts are encoded once
    per actor and action, and once per object type and organisation."""
    now = timezone.now()
    created_at = now.astimezone(dt.UTC).isoformat(timespec="microseconds")
    stamp = connection.ops.adapt_datetimefield_value(now)
    adapt_json = connection.ops.adapt_json_value
    heads: dict[tuple[int, str], tuple[int | None, str, bytes]] = {}  # by id(actor), action
    middles: dict[tuple[str, int | None], str] = {}
    rows: list[tuple[Any, ...]] = []
    for event in events:
        seq += 1
        action = event.action
        head_key = (id(event.actor), action)  # the events hold their actors: ids stay unique
        head = heads.get(head_key)
        if head is None:
            actor_id, actor_label = _actor_fields(event.actor)
            head = heads[head_key] = (
                actor_id,
                actor_label,
                (
                    f'{{"action":{_dumps(action)},"actor_id":{_dumps(actor_id)},'
                    f'"actor_label":{_dumps(actor_label)},"created_at":{_dumps(created_at)},'
                    '"diff":'
                ).encode(),
            )
        object_type, object_id, organisation_id = _object_fields(event)
        middle_key = (object_type, organisation_id)
        middle = middles.get(middle_key)
        if middle is None:
            middle = middles[middle_key] = (
                f',"object_type":{_dumps(object_type)},'
                f'"organisation_id":{_dumps(organisation_id)},"seq":'
            )
        diff_text, stored = _encoded_diff(event.diff, adapt_json)
        digest = _Keyed(prev_hash)
        digest.update(head[2])
        digest.update(diff_text)
        digest.update(f',"object_id":{_json_text(object_id)}{middle}{seq}}}'.encode())
        entry_hash = digest.hexdigest()
        rows.append(
            (
                seq,
                stamp,
                head[0],
                head[1],
                organisation_id,
                action,
                object_type,
                object_id,
                stored,
                prev_hash,
                entry_hash,
            )
        )
        prev_hash = entry_hash
    return rows


_INSERT_FIELDS = _FIELD_ORDER[1:]  # every column but the id the database assigns


def _insert(entries: list[AuditEntry]) -> None:
    """``INSERT`` the entries with one prepared ``executemany`` (values prepared by each field,
    as ``bulk_create`` would, so the stored rows are the same), then load their ids.

    ``bulk_create`` builds a statement per 500 rows with a placeholder per value; most of a
    large ``record_many`` went there."""
    if len(entries) == 1:
        entries[0].save(force_insert=True)
        return
    meta = AuditEntry._meta
    fields = [meta.get_field(name) for name in _INSERT_FIELDS]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)  # type: ignore[union-attr,arg-type]  # concrete fields
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608 - quoted identifiers only
    adapt_dt = connection.ops.adapt_datetimefield_value
    stamps: dict[datetime, Any] = {}  # a batch shares one timestamp: adapt it once
    adapt_json = connection.ops.adapt_json_value  # what JSONField (its encoder) stores
    rows = [
        (
            e.seq,
            stamps[e.created_at]
            if e.created_at in stamps
            else stamps.setdefault(e.created_at, adapt_dt(e.created_at)),
            e.actor_id,
            e.actor_label,
            e.organisation_id,
            e.action,
            e.object_type,
            e.object_id,
            adapt_json(e.diff, CanonicalJSONEncoder),
            e.prev_hash,
            e.hash,
        )
        for e in entries
    ]
    _write(rows, sql)
    ids = dict(
        AuditEntry.objects.filter(seq__gte=entries[0].seq, seq__lte=entries[-1].seq).values_list(
            "seq", "pk"
        )
    )
    for entry in entries:
        entry.pk = ids[entry.seq]
        entry._state.adding = False
        entry._state.db = connection.alias


def _write(rows: list[tuple[Any, ...]], sql: str = "") -> None:
    """Insert prepared rows (``_INSERT_FIELDS`` order): ``COPY`` on PostgreSQL (several times
    faster than ``executemany``), one prepared ``executemany`` elsewhere."""
    meta = AuditEntry._meta
    quote = connection.ops.quote_name
    names = ", ".join(quote(name) for name in _INSERT_FIELDS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(_INSERT_FIELDS))
            sql = sql or f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608 - quoted identifiers only
            cursor.executemany(sql, rows)


def record(
    actor: Requester,
    action: str,
    obj: Model | None = None,
    *,
    diff: Mapping[str, Any] | None = None,
    organisation_id: int | None = None,
    object_type: str = "",
    object_id: str = "",
) -> AuditEntry:
    """Append one entry. Call inside the action's transaction."""
    return record_many(
        [
            Event(
                action=action,
                actor=actor,
                obj=obj,
                organisation_id=organisation_id,
                diff=diff or {},
                object_type=object_type,
                object_id=object_id,
            )
        ]
    )[0]


def diff_fields(
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any],
    *,
    sensitive: Iterable[str] = (),
) -> dict[str, Any]:
    """A minimal diff ``{field: [old, new]}``; sensitive fields only show ``"changed"``."""
    sensitive = set(sensitive)
    before = before or {}
    result: dict[str, Any] = {}
    for name, new in after.items():
        old = before.get(name)
        if old == new:
            continue
        result[name] = "changed" if name in sensitive else [old, new]
    return result
