"""Walking the audit chain from genesis (``justicework audit verify``).

What a successful walk proves, and what it cannot (docs/security.md, section ``audit``):

* Every keyed entry was written by someone holding the audit key: a row INSERTed, altered,
  reordered or re-hashed with the database alone fails here (the hash is an HMAC).
* No entry between genesis and the head is missing, inserted or moved (``seq`` and ``prev_hash``).
* Entries written before the chain was keyed (plain SHA-256) are accepted only as an unbroken
  prefix that a keyed entry follows: the keyed entry's hash covers the prefix's last hash, so the
  prefix cannot be rewritten either. An unkeyed entry after a keyed one, or an unkeyed head,
  fails.
* It cannot prove that no entries were cut off the end: a prefix of a valid chain is a valid
  chain. A signed checkpoint kept outside the server (``audit checkpoint``) proves that the
  chain still reaches the head it recorded; only entries written after the newest checkpoint
  can be cut off unseen.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from justicework.audit.chain import (
    _FIELD_ORDER,
    GENESIS_HASH,
    compute_hash,
    entry_payload,
    legacy_hash,
    payload_of,
    record,
)
from justicework.audit.models import AuditEntry

#: The action of the keyed entry appended once to seal a chain begun before it was keyed.
KEYED_MARKER = "audit.chain_keyed"


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str = ""
    #: The first keyed entry's ``seq`` (1 for a chain keyed from the start; ``None`` if empty).
    keyed_from: int | None = None


def iter_entries(batch: int = 2000) -> Iterator[AuditEntry]:
    """Every entry in ``seq`` order, in batches (no filter on the first batch, so a forged
    entry with a zero or negative ``seq`` is seen too)."""
    queryset = AuditEntry.objects.order_by("seq")
    rows = list(queryset[:batch])
    while rows:
        yield from rows
        rows = list(queryset.filter(seq__gt=rows[-1].seq)[:batch])


_ROW_FIELDS = _FIELD_ORDER[1:]  # every stored field but the id
ROW_FIELDS = _ROW_FIELDS


def _iter_rows(batch: int = 5000) -> Iterator[tuple[Any, ...]]:
    """Like :func:`iter_entries`, as tuples in ``_ROW_FIELDS`` order (no model instances:
    verifying is about a quarter faster)."""
    queryset = AuditEntry.objects.order_by("seq").values_list(*_ROW_FIELDS)
    rows = list(queryset[:batch])
    while rows:
        yield from rows
        rows = list(queryset.filter(seq__gt=rows[-1][0])[:batch])


def _sequence_problem(seq: int, expected_seq: int) -> tuple[int, str] | None:
    if seq > expected_seq:
        return expected_seq, (
            f"entry #{expected_seq} is missing (the sequence jumps from {expected_seq - 1} "
            f"to {seq}): an entry was deleted"
        )
    if seq < expected_seq:
        return (
            seq,
            f"entry #{seq} is out of sequence (expected #{expected_seq}): an entry was inserted",
        )
    return None


def _hash_kind(row: tuple[Any, ...], legacy_allowed: bool) -> str | None:
    """``"keyed"`` or ``"legacy"`` for the hash that matches the row's content, else ``None``.
    Legacy is only tried while the chain may still be in its unkeyed prefix."""
    payload = entry_payload(**dict(zip(_ROW_FIELDS[:9], row[:9], strict=True)))
    prev_hash, entry_hash = row[9], row[10]
    if compute_hash(prev_hash, payload) == entry_hash:
        return "keyed"
    if legacy_allowed and legacy_hash(prev_hash, payload) == entry_hash:
        return "legacy"
    return None


def _content_problem(seq: int, keyed_from: int | None, checked: int) -> str:
    if keyed_from is not None:
        return (
            "content does not match its keyed hash: the entry was altered or written without "
            "the audit key"
        )
    if checked == 0:
        return (
            "content does not match its hash: the entry was altered, or JUSTICEWORK_AUDIT_KEY "
            "is not the key this chain was written with"
        )
    return "content does not match its hash: the entry was altered"


def verify_chain(rows: Iterable[tuple[Any, ...]] | None = None) -> VerifyResult:
    """Walk the chain from genesis. Detects altered, deleted, inserted and reordered rows,
    and rows written without the audit key: a missing or extra sequence number, a
    ``prev_hash`` that is not the previous entry's hash, a ``hash`` that is not the keyed hash
    of the entry's content, an unkeyed entry after a keyed one, or an unkeyed head.

    ``rows`` (tuples in ``ROW_FIELDS`` order, ``seq`` ascending) walks entries that are not in
    the database, e.g. a backup's; by default the database's."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    keyed_from: int | None = None
    for row in _iter_rows() if rows is None else rows:
        seq = row[0]
        problem = _sequence_problem(seq, expected_seq)
        if problem is not None:
            return VerifyResult(False, checked, problem[0], problem[1], keyed_from)
        if row[9] != expected_prev:
            return VerifyResult(
                False,
                checked,
                seq,
                "prev_hash does not match the previous entry's hash",
                keyed_from,
            )
        kind = _hash_kind(row, legacy_allowed=keyed_from is None)
        if kind is None:
            return VerifyResult(
                False, checked, seq, _content_problem(seq, keyed_from, checked), keyed_from
            )
        if kind == "keyed" and keyed_from is None:
            keyed_from = seq
        expected_prev = row[10]
        expected_seq += 1
        checked += 1
    if checked and keyed_from is None:
        return VerifyResult(
            False,
            checked,
            checked,
            "no entry is keyed: the newest entries were written without the audit key (a "
            "chain begun before the key existed is sealed by migration audit 0004)",
        )
    return VerifyResult(True, checked, keyed_from=keyed_from)


def seal_legacy_chain() -> AuditEntry | None:
    """Append the keyed marker entry after a chain whose newest entry is unkeyed (written
    before the audit key existed); return it, or ``None`` when there is nothing to seal. The
    marker's hash covers the unkeyed prefix, so the prefix can no longer be rewritten unseen.
    Entries are never re-hashed: they are immutable."""
    newest = AuditEntry.objects.order_by("-seq").first()
    if newest is None or compute_hash(newest.prev_hash, payload_of(newest)) == newest.hash:
        return None
    return record(
        None,
        KEYED_MARKER,
        object_type="audit.chain",
        diff={"unkeyed_through": newest.seq, "unkeyed_head": newest.hash},
    )
